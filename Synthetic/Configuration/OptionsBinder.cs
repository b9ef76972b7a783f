using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Synthetic.Configuration;

/// <summary>
/// Binds the <c>Synthetic</c> section strictly, straight from its flat key/value pairs: an unknown key (a typo such as
/// <c>Intervall</c>) or a value that does not convert is an error naming the full key, never silently ignored.
/// Durations accept 00:00:15, 15s, 1m or 500ms. Nested option objects, string lists (children or one comma-separated
/// value) and string maps are found from the property types, so a new options class needs no binding code.
/// Hand-written rather than <c>ConfigurationBinder</c>: that built a configuration per section and took 1.8–9 s for
/// 10,000 targets; this is one pass over the keys.
/// </summary>
internal static class OptionsBinder
{
    public static SyntheticOptions Bind(IConfiguration configuration, List<string> errors)
    {
        var values = ConfigurationSnapshot.Read(configuration, SyntheticOptions.SectionName);
        var root = Node.Build(SyntheticOptions.SectionName, values);
        return (SyntheticOptions)BindObject(typeof(SyntheticOptions), root, errors);
    }

    private static object BindObject(Type type, Node node, List<string> errors)
    {
        var instance = Activator.CreateInstance(type)!;
        var properties = PropertiesOf(type);
        foreach (var (key, child) in node.Children)
        {
            if (!properties.TryGetValue(key, out var property))
            {
                errors.Add($"{child.Path}: unknown key (expected one of {string.Join(", ", properties.Values.Select(p => p.Key).Order(StringComparer.Ordinal))}).");
                continue;
            }

            if (Bind(property, child, errors, out var value))
            {
                property.Info.SetValue(instance, value);
            }
        }

        return instance;
    }

    private static bool Bind(BoundProperty property, Node node, List<string> errors, out object? value)
    {
        var type = property.Type;
        value = null;
        if (type == typeof(List<string>))
        {
            value = node.Children.Count > 0
                ? node.Children.OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue).Select(c => c.Value.Value ?? string.Empty).ToList()
                : (node.Value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            return true;
        }

        if (type == typeof(List<TargetOptions>))
        {
            value = node.Children.OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue)
                .Select(c => (TargetOptions)BindObject(typeof(TargetOptions), c.Value, errors)).ToList();
            return true;
        }

        if (type == typeof(Dictionary<string, string>))
        {
            value = node.Children.ToDictionary(c => c.Key, c => c.Value.Value ?? string.Empty, StringComparer.Ordinal);
            return true;
        }

        if (IsOptionsClass(type))
        {
            value = BindObject(type, node, errors);
            return true;
        }

        if (node.Children.Count > 0 || node.Value is null)
        {
            errors.Add($"{node.Path}: expected a single {Describe(type)}, not a section.");
            return false;
        }

        if (TryConvert(type, node.Value, out value))
        {
            return true;
        }

        errors.Add(type == typeof(TimeSpan)
            ? $"{node.Path}: '{node.Value}' is not a duration (use 00:00:15, 15s, 1m or 500ms)."
            : $"{node.Path}: '{node.Value}' is not a valid {Describe(type)}.");
        return false;
    }

    private static bool TryConvert(Type type, string text, out object? value)
    {
        var trimmed = text.Trim();
        (var ok, value) = type switch
        {
            _ when type == typeof(string) => (true, (object?)text),
            _ when type == typeof(bool) => (bool.TryParse(trimmed, out var b), b),
            _ when type == typeof(int) => (int.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i), i),
            _ when type == typeof(double) => (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var d), d),
            _ when type == typeof(TimeSpan) => (DurationParser.TryParse(trimmed, out var t), t),
            _ => (false, null),
        };
        return ok;
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(bool) => "boolean (true or false)",
        _ when type == typeof(int) => "whole number",
        _ when type == typeof(double) => "number",
        _ when type == typeof(TimeSpan) => "duration",
        _ => "value",
    };

    private static bool IsOptionsClass(Type type) =>
        type.IsClass && type != typeof(string) && !type.IsGenericType && type.GetConstructor(Type.EmptyTypes) is not null;

    private static readonly Dictionary<Type, Dictionary<string, BoundProperty>> Properties = [];

    private static Dictionary<string, BoundProperty> PropertiesOf(Type type)
    {
        lock (Properties)
        {
            if (!Properties.TryGetValue(type, out var map))
            {
                map = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
                    .Select(p => new BoundProperty(
                        p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name,
                        p,
                        Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType))
                    .ToDictionary(p => p.Key, StringComparer.OrdinalIgnoreCase);
                Properties[type] = map;
            }

            return map;
        }
    }

    private sealed record BoundProperty(string Key, PropertyInfo Info, Type Type);

    /// <summary>The keys as a tree, built in one pass; each node keeps its full path for messages.</summary>
    private sealed class Node(string path)
    {
        public string Path { get; } = path;

        public string? Value { get; private set; }

        public Dictionary<string, Node> Children { get; } = new(StringComparer.OrdinalIgnoreCase);

        public static Node Build(string section, Dictionary<string, string> values)
        {
            var root = new Node(section);
            foreach (var (key, value) in values)
            {
                var node = root;
                foreach (var segment in key[(section.Length + 1)..].Split(':'))
                {
                    if (!node.Children.TryGetValue(segment, out var child))
                    {
                        child = new Node(node.Path + ":" + segment);
                        node.Children[segment] = child;
                    }

                    node = child;
                }

                node.Value = value;
            }

            return root;
        }
    }
}
