using System.Globalization;
using System.Text.RegularExpressions;

namespace Synthetic.Configuration;

/// <summary>Parses durations as TimeSpan strings (<c>00:00:15</c>) or short forms (<c>15s</c>, <c>1m</c>, <c>500ms</c>, <c>2h</c>).</summary>
internal static partial class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        var match = ShortForm().Match(trimmed);
        if (match.Success)
        {
            var number = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            var unit = match.Groups["u"].Value;
            var ms = unit switch
            {
                "ms" => number,
                "s" => number * 1000,
                "m" => number * 60_000,
                "h" => number * 3_600_000,
                _ => double.NaN,
            };
            if (double.IsNaN(ms) || ms > TimeSpan.MaxValue.TotalMilliseconds)
            {
                return false;
            }

            value = TimeSpan.FromMilliseconds(ms);
            return true;
        }

        return TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out value);
    }

    public static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)\s*(?<u>ms|s|m|h)$", RegexOptions.CultureInvariant)]
    private static partial Regex ShortForm();
}
