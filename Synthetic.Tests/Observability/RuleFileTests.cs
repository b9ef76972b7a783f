using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Observability;

/// <summary>
/// The shipped observability files, checked by the real tools (promtool, amtool, docker-compose) and by
/// contract checks that need no tool: every alert has severity, summary, description and a runbook_url whose
/// anchor is a heading of README.md; every alert has firing and quiet unit tests; the dashboard has its
/// variables and a query in every panel. The rules, Alertmanager routing and dashboard queries are also run
/// against a real Prometheus and Alertmanager in <see cref="RealStackTests"/>.
/// </summary>
public sealed partial class RuleFileTests
{
    private const string RunbookBase = "https://github.com/synthetic-monitor/synthetic/blob/main/README.md#";

    private static readonly string[] RequiredAlerts =
    [
        "SyntheticHealthFalsePositive", "SyntheticTargetDown", "SyntheticHealthFailing", "SyntheticTranscriptionFailing",
        "SyntheticComponentUnhealthy", "SyntheticWerDegraded", "SyntheticLatencySloFastBurn", "SyntheticLatencySloSlowBurn",
        "SyntheticProbesStale", "SyntheticMonitorDown", "SyntheticMonitorAbsent",
    ];

    private static readonly string[] CanaryAlerts =
    [
        "SyntheticTranscriptionFailing", "SyntheticWerDegraded", "SyntheticLatencySloFastBurn", "SyntheticLatencySloSlowBurn",
    ];

    [Fact]
    public async Task PromtoolCheckRules_ShippedRules_Succeeds()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");

        var result = await ExternalTool.RunAsync(promtool, ["check", "rules", RepoPaths.Combine("prometheus", "rules.yml")]);

        Assert.True(result.ExitCode == 0, "promtool check rules failed:\n" + result.Combined);
        Assert.Contains("SUCCESS", result.Combined, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolTestRules_ShippedUnitTests_AllPass()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");

        var result = await ExternalTool.RunAsync(promtool, ["test", "rules", RepoPaths.Combine("prometheus", "rules.test.yml")]);

        Assert.True(result.ExitCode == 0, "promtool test rules failed:\n" + result.Combined);
        Assert.DoesNotContain("FAILED", result.Combined, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolCheckConfig_ShippedPrometheusConfig_SucceedsWithItsRuleFile()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");

        // check config also loads the rule files it references (relative to the config file).
        var result = await ExternalTool.RunAsync(promtool, ["check", "config", RepoPaths.Combine("prometheus", "prometheus.yml")]);

        Assert.True(result.ExitCode == 0, "promtool check config failed:\n" + result.Combined);
        Assert.Contains("1 rule files found", result.Combined, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AmtoolCheckConfig_ShippedAlertmanagerConfig_Succeeds()
    {
        var amtool = ExternalTool.Require("amtool", "prometheus-alertmanager");

        var result = await ExternalTool.RunAsync(amtool, ["check-config", RepoPaths.Combine("prometheus", "alertmanager.yml")]);

        Assert.True(result.ExitCode == 0, "amtool check-config failed:\n" + result.Combined);
        Assert.Contains("SUCCESS", result.Combined, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DockerComposeConfig_ShippedComposeFile_IsValid()
    {
        var compose = ExternalTool.Require("docker-compose", "docker-compose");
        var keyFile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(keyFile, "test-key");
            var environment = ComposeEnvironment(keyFile);

            var result = await ExternalTool.RunAsync(compose, ["-f", RepoPaths.Combine("docker-compose.yml"), "config"], environment: environment);

            Assert.True(result.ExitCode == 0, "docker-compose config failed:\n" + result.Combined);
            foreach (var service in new[] { "synthetic:", "prometheus:", "alertmanager:", "grafana:" })
            {
                Assert.Contains(service, result.StandardOutput, StringComparison.Ordinal);
            }

            Assert.Contains("Synthetic__Targets__0__LicenseKeyFile: /run/secrets/license_key", result.StandardOutput, StringComparison.Ordinal);
            Assert.Contains(keyFile, result.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("--web.enable-lifecycle", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task DockerComposeConfig_HaProfile_AddsPostgresAndTwoClusteredMonitors()
    {
        var compose = ExternalTool.Require("docker-compose", "docker-compose");
        var environment = ComposeEnvironment("/nonexistent/license_key");

        var result = await ExternalTool.RunAsync(compose, ["-f", RepoPaths.Combine("docker-compose.yml"), "--profile", "ha", "config"], environment: environment);

        Assert.True(result.ExitCode == 0, "docker-compose --profile ha config failed:\n" + result.Combined);
        foreach (var service in new[] { "postgres:", "synthetic-ha-a:", "synthetic-ha-b:" })
        {
            Assert.Contains(service, result.StandardOutput, StringComparison.Ordinal);
        }

        // The connection string comes from a secret file, for both nodes; never from the environment.
        Assert.Equal(2, result.StandardOutput.Split("Synthetic__Cluster__ConnectionStringFile: /run/secrets/cluster_connection").Length - 1);
        Assert.DoesNotContain("Synthetic__Cluster__ConnectionString:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("POSTGRES_PASSWORD_FILE: /run/secrets/cluster_db_password", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DockerComposeConfig_DemoProfile_AddsStandIn()
    {
        var compose = ExternalTool.Require("docker-compose", "docker-compose");
        var environment = ComposeEnvironment("/nonexistent/license_key");

        var profiles = await ExternalTool.RunAsync(compose, ["-f", RepoPaths.Combine("docker-compose.yml"), "config", "--profiles"], environment: environment);
        var services = await ExternalTool.RunAsync(compose, ["-f", RepoPaths.Combine("docker-compose.yml"), "--profile", "demo", "config", "--services"],
            environment: environment);

        Assert.True(profiles.ExitCode == 0, "docker-compose config --profiles failed:\n" + profiles.Combined);
        Assert.Equal(new[] { "demo", "ha" }, Lines(profiles.StandardOutput).Order(StringComparer.Ordinal));
        Assert.True(services.ExitCode == 0, "docker-compose --profile demo config --services failed:\n" + services.Combined);
        Assert.Contains("standin", Lines(services.StandardOutput));
    }

    [Fact]
    public void Rules_EveryAlert_HasSeveritySummaryDescriptionAndRunbookUrl()
    {
        var alerts = AlertBlocks();

        Assert.Superset(new HashSet<string>(RequiredAlerts, StringComparer.Ordinal), new HashSet<string>(alerts.Keys, StringComparer.Ordinal));
        var problems = new List<string>();
        foreach (var (name, block) in alerts)
        {
            if (!SeverityLine().IsMatch(block))
            {
                problems.Add($"{name}: no label severity: critical|warning|info");
            }

            foreach (var annotation in new[] { "summary", "description" })
            {
                if (!Regex.IsMatch(block, $@"^\s+{annotation}:\s*\S", RegexOptions.Multiline))
                {
                    problems.Add($"{name}: no non-empty annotation {annotation}");
                }
            }

            var expected = RunbookBase + name.ToLowerInvariant();
            if (!Regex.IsMatch(block, $@"^\s+runbook_url:\s*['""]?{Regex.Escape(expected)}['""]?\s*$", RegexOptions.Multiline))
            {
                problems.Add($"{name}: runbook_url is not {expected}");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Rules_FalsePositiveAlert_IsCriticalAfterOneMinute()
    {
        var block = AlertBlocks()["SyntheticHealthFalsePositive"];

        // Aggregated over replicas (README "Clustering"): one alert per target, however many monitors are scraped.
        Assert.Matches(@"(?m)^\s+expr:\s*max without \(instance, pod\) \(synthetic_health_false_positive\)\s*==\s*1\s*$", block);
        Assert.Matches(@"(?m)^\s+for:\s*1m\s*$", block);
        Assert.Matches(@"(?m)^\s+severity:\s*critical\s*$", block);
    }

    [Fact]
    public void Readme_EveryAlert_HasRunbookHeading()
    {
        var readme = RepoPaths.Combine("README.md");
        Assert.True(File.Exists(readme), "README.md is missing");
        var anchors = MarkdownAnchors(File.ReadAllLines(readme));

        var missing = AlertBlocks().Keys.Where(name => !anchors.Contains(name.ToLowerInvariant())).ToList();

        Assert.True(missing.Count == 0,
            "README.md has no runbook heading (### <AlertName>) for: " + string.Join(", ", missing) +
            ". The runbook text is in docs/runbook-draft.md.");
    }

    [Fact]
    public void RuleUnitTests_EveryAlert_HasFiringAndQuietCase()
    {
        var lines = File.ReadAllLines(RepoPaths.Combine("prometheus", "rules.test.yml"));
        var firing = new HashSet<string>(StringComparer.Ordinal);
        var quiet = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var match = AlertNameLine().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            var next = lines.Skip(i + 1).FirstOrDefault(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))?.Trim() ?? string.Empty;
            if (next == "exp_alerts: []")
            {
                quiet.Add(match.Groups["name"].Value);
            }
            else if (next == "exp_alerts:")
            {
                firing.Add(match.Groups["name"].Value);
            }
        }

        var alerts = AlertBlocks().Keys.ToList();
        Assert.Empty(alerts.Where(a => !firing.Contains(a)).Select(a => a + " (no firing case)")
            .Concat(alerts.Where(a => !quiet.Contains(a)).Select(a => a + " (no quiet case)")));
    }

    [Fact]
    public void AlertmanagerConfig_TargetDown_InhibitsCanaryAlertsOfSameTarget()
    {
        var text = File.ReadAllText(RepoPaths.Combine("prometheus", "alertmanager.yml"));
        var alerts = AlertBlocks().Keys.ToHashSet(StringComparer.Ordinal);

        var rules = InhibitRuleBlocks(text);
        var targetDown = rules.SingleOrDefault(r => Regex.IsMatch(r, @"(?m)^\s+-\s*alertname\s*=\s*SyntheticTargetDown\s*$"));

        Assert.True(targetDown is not null, "no inhibit rule with source alertname = SyntheticTargetDown:\n" + text);
        Assert.Matches(@"(?m)^\s+equal:\s*\[\s*target\s*\]\s*$", targetDown);
        foreach (var canary in CanaryAlerts)
        {
            Assert.Contains(canary, targetDown, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("SyntheticHealthFalsePositive", targetDown, StringComparison.Ordinal);
        var named = AlertNameInText().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal);
        Assert.All(named, name => Assert.True(alerts.Contains(name), $"alertmanager.yml names {name}, which rules.yml does not define"));
        Assert.Matches(@"(?m)^\s+group_by:\s*\[\s*alertname\s*,\s*target\s*\]\s*$", text);
    }

    [Fact]
    public void PrometheusConfig_ScrapesMonitorAndSendsToAlertmanager()
    {
        var text = File.ReadAllText(RepoPaths.Combine("prometheus", "prometheus.yml"));

        Assert.Matches(@"(?m)^\s+-\s*job_name:\s*synthetic\s*$", text);
        Assert.Contains("synthetic:9190", text, StringComparison.Ordinal);
        Assert.Contains("alertmanager:9093", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+-\s*rules\.yml\s*$", text);
        Assert.Matches(@"(?m)^\s+scrape_interval:\s*15s\s*$", text);
        Assert.Matches(@"(?m)^\s+evaluation_interval:\s*15s\s*$", text);
    }

    [Fact]
    public void Dashboard_ShippedJson_HasDatasourceAndTargetVariables()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("dashboards", "synthetic.json")));
        var variables = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
            .ToDictionary(v => v.GetProperty("name").GetString()!, StringComparer.Ordinal);

        Assert.True(variables.TryGetValue("datasource", out var datasource), "no $datasource variable");
        Assert.Equal("datasource", datasource.GetProperty("type").GetString());
        Assert.Equal("prometheus", datasource.GetProperty("query").GetString());

        Assert.True(variables.TryGetValue("target", out var target), "no $target variable");
        Assert.Equal("query", target.GetProperty("type").GetString());
        Assert.True(target.GetProperty("multi").GetBoolean(), "$target must allow several targets");
        Assert.True(target.GetProperty("includeAll").GetBoolean(), "$target must offer All");
        Assert.Contains("label_values(synthetic_probe_success, target)", target.GetProperty("definition").GetString(), StringComparison.Ordinal);
        Assert.Equal("${datasource}", target.GetProperty("datasource").GetProperty("uid").GetString());
    }

    [Fact]
    public void Dashboard_EveryPanel_HasQueryOnDatasourceFilteredByTarget()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("dashboards", "synthetic.json")));
        var panels = Panels(dashboard.RootElement).Where(p => p.GetProperty("type").GetString() != "row").ToList();
        var problems = new List<string>();

        Assert.True(panels.Count >= 10, $"only {panels.Count} panels");
        var ids = panels.Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            if (!panel.TryGetProperty("datasource", out var ds) || ds.GetProperty("uid").GetString() != "${datasource}")
            {
                problems.Add($"{title}: panel data source is not ${{datasource}}");
            }

            var targets = panel.TryGetProperty("targets", out var t) ? t.EnumerateArray().ToList() : [];
            if (targets.Count == 0)
            {
                problems.Add($"{title}: no queries");
            }

            foreach (var query in targets)
            {
                var expr = query.TryGetProperty("expr", out var e) ? e.GetString() ?? string.Empty : string.Empty;
                if (expr.Trim().Length == 0)
                {
                    problems.Add($"{title} ({query.GetProperty("refId").GetString()}): empty expr");
                }
                else if (PerTargetMetric().IsMatch(expr) && !expr.Contains("target=~\"$target\"", StringComparison.Ordinal))
                {
                    problems.Add($"{title}: per-target query without target=~\"$target\": {expr}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void GrafanaProvisioning_DatasourceAndDashboardProvider_PointAtStack()
    {
        var datasource = File.ReadAllText(RepoPaths.Combine("dashboards", "provisioning", "datasources", "prometheus.yml"));
        var provider = File.ReadAllText(RepoPaths.Combine("dashboards", "provisioning", "dashboards", "synthetic.yml"));

        Assert.Contains("url: http://prometheus:9090", datasource, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+uid:\s*prometheus\s*$", datasource);
        Assert.Contains("type: file", provider, StringComparison.Ordinal);
        Assert.Contains("path: /var/lib/grafana/dashboards", provider, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Dockerfile", "9190", "/healthz", "Synthetic/Synthetic.csproj")]
    [InlineData("Dockerfile.standin", "7100", "/_standin/mode", "Synthetic.StandIn/Synthetic.StandIn.csproj")]
    public void Dockerfile_Image_PublishesProjectExposesPortAndHasHealthcheck(string file, string port, string healthPath, string project)
    {
        var text = File.ReadAllText(RepoPaths.Combine(file));

        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", text, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", text, StringComparison.Ordinal);
        Assert.Contains($"dotnet publish {project} -c Release -o /app", text, StringComparison.Ordinal);
        Assert.Matches($@"(?m)^EXPOSE {port}\s*$", text);
        Assert.Matches($@"(?m)^HEALTHCHECK .*\\$\s+CMD .*/dev/tcp/127\.0\.0\.1/{port}.*GET {Regex.Escape(healthPath)} ", text);
        var ignored = File.ReadAllLines(RepoPaths.Combine(".dockerignore"));
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
    }

    [Fact]
    public void MarkdownAnchors_GitHubRules_LowercaseHyphenated()
    {
        var anchors = MarkdownAnchors(["# Synthetic", "### SyntheticHealthFalsePositive", "## Compose stack", "```", "# not a heading", "```"]);

        Assert.Equal(new[] { "compose-stack", "synthetic", "synthetichealthfalsepositive" }, anchors.Order(StringComparer.Ordinal));
    }

    /// <summary>Each alert of rules.yml with its block of text (from its "- alert:" line to the next rule or group).</summary>
    private static Dictionary<string, string> AlertBlocks()
    {
        var lines = File.ReadAllLines(RepoPaths.Combine("prometheus", "rules.yml"));
        var blocks = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var text = new StringBuilder();
        foreach (var line in lines.Append("- end:"))
        {
            var alert = AlertLine().Match(line);
            if (alert.Success || RuleOrGroupStart().IsMatch(line))
            {
                if (current is not null)
                {
                    Assert.True(blocks.TryAdd(current, text.ToString()), $"alert {current} is defined twice");
                }

                current = alert.Success ? alert.Groups["name"].Value : null;
                text.Clear();
            }

            if (current is not null)
            {
                text.AppendLine(line);
            }
        }

        Assert.NotEmpty(blocks);
        return blocks;
    }

    private static List<string> InhibitRuleBlocks(string text)
    {
        var start = text.IndexOf("\ninhibit_rules:", StringComparison.Ordinal);
        Assert.True(start >= 0, "alertmanager.yml has no inhibit_rules");
        var section = text[start..].Split('\n').Skip(2).TakeWhile(l => l.Length == 0 || l.StartsWith(' ') || l.StartsWith('#'));
        var blocks = new List<string>();
        foreach (var line in section.Where(l => !l.TrimStart().StartsWith('#')))
        {
            if (Regex.IsMatch(line, @"^  -\s"))
            {
                blocks.Add(string.Empty);
            }

            if (blocks.Count > 0)
            {
                blocks[^1] += line + "\n";
            }
        }

        return blocks;
    }

    /// <summary>GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens (code fences skipped).</summary>
    internal static HashSet<string> MarkdownAnchors(IEnumerable<string> lines)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var fenced = false;
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            var heading = HeadingLine().Match(line);
            if (fenced || !heading.Success)
            {
                continue;
            }

            var text = heading.Groups["text"].Value.Trim().ToLowerInvariant();
            var anchor = new StringBuilder();
            foreach (var c in text)
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    anchor.Append(c);
                }
                else if (c == ' ')
                {
                    anchor.Append('-');
                }
            }

            anchors.Add(anchor.ToString());
        }

        return anchors;
    }

    private static IEnumerable<JsonElement> Panels(JsonElement root) => RealStackTests.Panels(root);

    private static Dictionary<string, string> ComposeEnvironment(string keyFile) => new(StringComparer.Ordinal)
    {
        ["SYNTHETIC_LICENSE_KEY_FILE"] = keyFile,
        ["SYNTHETIC_TARGET_URL"] = "http://api-server:7100",
        ["GRAFANA_ADMIN_PASSWORD"] = "test",
        ["COMPOSE_PROJECT_NAME"] = "synthetic-test",
    };

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"^\s*-\s*alert:\s*(?<name>\w+)\s*$")]
    private static partial Regex AlertLine();

    [GeneratedRegex(@"^\s*-\s*(record|name|end):")]
    private static partial Regex RuleOrGroupStart();

    [GeneratedRegex(@"(?m)^\s+severity:\s*(critical|warning|info)\s*$")]
    private static partial Regex SeverityLine();

    [GeneratedRegex(@"^\s*alertname:\s*(?<name>\w+)\s*$")]
    private static partial Regex AlertNameLine();

    [GeneratedRegex(@"\bSynthetic[A-Z]\w+")]
    private static partial Regex AlertNameInText();

    [GeneratedRegex(@"^(?<hashes>#{1,6})\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex HeadingLine();

    /// <summary>Metrics with a target label (everything synthetic_ except the monitor-wide build info and scheduler lag).</summary>
    [GeneratedRegex(@"\b(synthetic_(?!build_info|scheduler_)\w+|target:\w+|target_probe:\w+)")]
    private static partial Regex PerTargetMetric();
}
