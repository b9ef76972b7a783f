using System.Text.RegularExpressions;

namespace Synthetic.Configuration;

/// <summary>Rules shared by the validators of several options types.</summary>
internal static partial class ValidationRules
{
    public static void Schedule(string p, TimeSpan interval, TimeSpan timeout, ISet<string> userSet, List<string> errors)
    {
        if (interval < Defaults.MinimumInterval)
        {
            errors.Add($"{p}:Interval: {DurationParser.Format(interval)} must be at least 100ms.");
        }

        if (timeout <= TimeSpan.Zero)
        {
            errors.Add($"{p}:Timeout: {DurationParser.Format(timeout)} must be positive.");
        }
        else if (timeout >= interval && interval >= Defaults.MinimumInterval)
        {
            errors.Add($"{p}:Timeout: {DurationParser.Format(timeout)} must be shorter than {Named(p, "Interval", userSet)} ({DurationParser.Format(interval)}).");
        }
    }

    public static void Path(string key, string path, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path) || !path.StartsWith('/') || path.Contains('?', StringComparison.Ordinal) ||
            path.Contains('#', StringComparison.Ordinal) || path.Any(char.IsWhiteSpace))
        {
            errors.Add($"{key}: '{path}' must be an absolute path starting with '/' (no query, no spaces).");
        }
    }

    /// <summary>Names the other key of a rule: the full key when the user set it, "its default" when not.</summary>
    public static string Named(string p, string key, ISet<string> userSet) =>
        userSet.Contains(key) ? $"{p}:{key}" : $"{key} (default)";

    /// <summary>Strips user info from a URL so credentials never reach an error message.</summary>
    public static string Redact(string url)
    {
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 && at > scheme ? url[..(scheme + 3)] + "***@" + url[(at + 1)..] : url;
    }

    [GeneratedRegex("^[a-z0-9_-]+$", RegexOptions.CultureInvariant)]
    public static partial Regex NamePattern();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$", RegexOptions.CultureInvariant)]
    public static partial Regex LabelPattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z_][A-Za-z0-9_\-]*)*$", RegexOptions.CultureInvariant)]
    public static partial Regex JsonPathPattern();

    [GeneratedRegex("^[a-z]{2}$", RegexOptions.CultureInvariant)]
    public static partial Regex LanguagePattern();
}
