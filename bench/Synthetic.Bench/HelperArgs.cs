using System.Globalization;

namespace Synthetic.Bench;

/// <summary>
/// The arguments of a helper verb: <c>--name value</c> pairs and bare <c>--flag</c>s (a name followed by another name
/// or by nothing). The driver builds these command lines itself, so an unknown name is simply ignored.
/// </summary>
internal sealed class HelperArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public HelperArgs(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            _values[args[i]] = hasValue ? args[++i] : null;
        }
    }

    public bool Flag(string name) => _values.ContainsKey(name);

    public string? String(string name) => _values.GetValueOrDefault(name);

    public string String(string name, string fallback) => String(name) ?? fallback;

    public int Int(string name, int fallback) => String(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => String(name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
