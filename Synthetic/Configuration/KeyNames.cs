using Microsoft.Extensions.Configuration;

namespace Synthetic.Configuration;

/// <summary>The configuration key of every property of <typeparamref name="T"/>, read once per type.</summary>
internal static class KeyNames<T>
{
    private static readonly Dictionary<string, Type> Types = typeof(T).GetProperties()
        .Where(p => p.CanWrite)
        .ToDictionary(
            p => p.GetCustomAttributes(typeof(ConfigurationKeyNameAttribute), false).OfType<ConfigurationKeyNameAttribute>().FirstOrDefault()?.Name ?? p.Name,
            p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType,
            StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<string> All { get; } = Types.Keys;

    /// <summary>What kind of value the key takes, for error messages.</summary>
    public static string Describe(string key) => Types.GetValueOrDefault(key) switch
    {
        null => "value",
        var type when type == typeof(bool) => "boolean (true or false)",
        var type when type == typeof(int) => "whole number",
        var type when type == typeof(double) => "number",
        var type when type == typeof(TimeSpan) => "duration",
        { IsGenericType: true } => "list",
        var type => type.Name,
    };
}
