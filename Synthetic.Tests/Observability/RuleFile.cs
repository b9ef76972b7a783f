using System.Text;
using System.Text.RegularExpressions;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Observability;

/// <summary>Reads prometheus/rules.yml as text, alert by alert.</summary>
internal static partial class RuleFile
{
    /// <summary>Each alert of rules.yml with the text of its rules (a name may have one rule per severity, e.g. warning then critical).</summary>
    public static Dictionary<string, string> AlertBlocks() =>
        AlertRules().GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => string.Concat(g.Select(r => r.Block)), StringComparer.Ordinal);

    /// <summary>Each alert rule of rules.yml with its block of text (from its "- alert:" line to the next rule or group).</summary>
    public static List<(string Name, string Block)> AlertRules()
    {
        var lines = File.ReadAllLines(RepoPaths.Combine("prometheus", "rules.yml"));
        var blocks = new List<(string Name, string Block)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var text = new StringBuilder();
        foreach (var line in lines.Append("- end:"))
        {
            var alert = AlertLine().Match(line);
            if (alert.Success || RuleOrGroupStart().IsMatch(line))
            {
                if (current is not null)
                {
                    var block = text.ToString();
                    var severity = SeverityLabel().Match(block).Groups[1].Value;
                    Assert.True(seen.Add(current + "/" + severity), $"alert {current} is defined twice with severity '{severity}'");
                    blocks.Add((current, block));
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

    [GeneratedRegex(@"^\s*-\s*alert:\s*(?<name>\w+)\s*$")]
    private static partial Regex AlertLine();

    [GeneratedRegex(@"(?m)^\s+severity:\s*(\w+)\s*$")]
    private static partial Regex SeverityLabel();

    [GeneratedRegex(@"^\s*-\s*(record|name|end):")]
    private static partial Regex RuleOrGroupStart();
}
