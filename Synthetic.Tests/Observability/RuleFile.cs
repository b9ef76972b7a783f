using System.Text;
using System.Text.RegularExpressions;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Observability;

/// <summary>Reads prometheus/rules.yml as text, alert by alert.</summary>
internal static partial class RuleFile
{
    /// <summary>Each alert of rules.yml with its block of text (from its "- alert:" line to the next rule or group).</summary>
    public static Dictionary<string, string> AlertBlocks()
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

    [GeneratedRegex(@"^\s*-\s*alert:\s*(?<name>\w+)\s*$")]
    private static partial Regex AlertLine();

    [GeneratedRegex(@"^\s*-\s*(record|name|end):")]
    private static partial Regex RuleOrGroupStart();
}
