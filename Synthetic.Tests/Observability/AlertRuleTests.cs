using System.Text.RegularExpressions;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Observability;

/// <summary>
/// Contract of prometheus/rules.yml: every alert has severity, summary, description and a runbook_url whose anchor
/// is a heading of README.md, and firing and quiet unit tests in rules.test.yml.
/// </summary>
public sealed partial class AlertRuleTests
{
    private const string RunbookBase = "https://github.com/synthetic-monitor/synthetic/blob/main/README.md#";

    private static readonly string[] RequiredAlerts =
    [
        "SyntheticHealthFalsePositive", "SyntheticTargetDown", "SyntheticHealthFailing", "SyntheticTranscriptionFailing",
        "SyntheticComponentUnhealthy", "SyntheticWerDegraded", "SyntheticTranscriptDrift", "SyntheticLatencySloFastBurn", "SyntheticLatencySloSlowBurn",
        "SyntheticProbesStale", "SyntheticMonitorSaturated", "SyntheticMonitorDown", "SyntheticMonitorAbsent", "SyntheticCertificateExpiringSoon",
    ];

    [Fact]
    public void Rules_EveryAlert_HasSeveritySummaryDescriptionAndRunbookUrl()
    {
        var alerts = RuleFile.AlertBlocks();

        Assert.Superset(new HashSet<string>(RequiredAlerts, StringComparer.Ordinal), new HashSet<string>(alerts.Keys, StringComparer.Ordinal));
        var problems = new List<string>();
        foreach (var (name, block) in RuleFile.AlertRules())
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
        var block = RuleFile.AlertBlocks()["SyntheticHealthFalsePositive"];

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
        var anchors = MarkdownAnchor.Of(File.ReadAllLines(readme));

        var missing = RuleFile.AlertBlocks().Keys.Where(name => !anchors.Contains(name.ToLowerInvariant())).ToList();

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

        var alerts = RuleFile.AlertBlocks().Keys.ToList();
        Assert.Empty(alerts.Where(a => !firing.Contains(a)).Select(a => a + " (no firing case)")
            .Concat(alerts.Where(a => !quiet.Contains(a)).Select(a => a + " (no quiet case)")));
    }

    [Fact]
    public void MarkdownAnchors_GitHubRules_LowercaseHyphenated()
    {
        var anchors = MarkdownAnchor.Of(["# Synthetic", "### SyntheticHealthFalsePositive", "## Compose stack", "```", "# not a heading", "```"]);

        Assert.Equal(new[] { "compose-stack", "synthetic", "synthetichealthfalsepositive" }, anchors.Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"(?m)^\s+severity:\s*(critical|warning|info)\s*$")]
    private static partial Regex SeverityLine();

    [GeneratedRegex(@"^\s*alertname:\s*(?<name>\w+)\s*$")]
    private static partial Regex AlertNameLine();
}
