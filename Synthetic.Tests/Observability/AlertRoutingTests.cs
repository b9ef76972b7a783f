using System.Text.RegularExpressions;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Observability;

/// <summary>
/// Contract of prometheus/alertmanager.yml and prometheus.yml: TargetDown inhibits the canary alerts of the same
/// target, every alert named exists in rules.yml, and Prometheus scrapes the monitor and sends to Alertmanager.
/// </summary>
public sealed partial class AlertRoutingTests
{
    private static readonly string[] CanaryAlerts =
    [
        "SyntheticTranscriptionFailing", "SyntheticWerDegraded", "SyntheticLatencySloFastBurn", "SyntheticLatencySloSlowBurn",
    ];

    [Fact]
    public void AlertmanagerConfig_TargetDown_InhibitsCanaryAlertsOfSameTarget()
    {
        var text = File.ReadAllText(RepoPaths.Combine("prometheus", "alertmanager.yml"));
        var alerts = RuleFile.AlertBlocks().Keys.ToHashSet(StringComparer.Ordinal);

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

    [GeneratedRegex(@"\bSynthetic[A-Z]\w+")]
    private static partial Regex AlertNameInText();
}
