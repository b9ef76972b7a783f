using System.Text;
using System.Text.RegularExpressions;

namespace Synthetic.Tests.Observability;

/// <summary>GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens (code fences skipped).</summary>
internal static partial class MarkdownAnchor
{
    public static HashSet<string> Of(IEnumerable<string> lines)
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

    [GeneratedRegex(@"^(?<hashes>#{1,6})\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex HeadingLine();
}
