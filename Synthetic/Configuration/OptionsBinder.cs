using Microsoft.Extensions.Configuration;

namespace Synthetic.Configuration;

/// <summary>
/// Binds the <c>Synthetic</c> section strictly: an unknown key (a typo such as <c>Intervall</c>) or a value that does
/// not convert is an error naming the full key, never silently ignored. Durations accept 00:00:15, 15s, 1m or 500ms.
/// </summary>
internal static class OptionsBinder
{
    private static readonly HashSet<string> DurationKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "Interval", "Timeout", "AttemptTimeout", "MaxLatency", "DegradedLatency",
    };

    private static readonly string TargetsPrefix = SyntheticOptions.SectionName + ":Targets:";

    public static SyntheticOptions Bind(IConfiguration configuration, List<string> errors)
    {
        var values = NormalizeDurations(ConfigurationSnapshot.Read(configuration, SyntheticOptions.SectionName), errors);

        // Each target gets a configuration of its own keys: binding it never scans the other targets' keys.
        var byTarget = values.Where(kv => kv.Key.StartsWith(TargetsPrefix, StringComparison.OrdinalIgnoreCase))
            .GroupBy(kv => kv.Key[TargetsPrefix.Length..].Split(':')[0], StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => int.TryParse(g.Key, out var i) ? i : int.MaxValue)
            .ToList();
        var root = ConfigurationSnapshot.Build(values.Where(kv => !kv.Key.StartsWith(TargetsPrefix, StringComparison.OrdinalIgnoreCase)))
            .GetSection(SyntheticOptions.SectionName);
        var options = StrictBind<SyntheticOptions>(root, errors, "Targets") ?? new SyntheticOptions();
        options.FixturesPath = string.IsNullOrWhiteSpace(options.FixturesPath) ? null : options.FixturesPath;
        options.Targets = [];
        foreach (var group in byTarget)
        {
            var section = ConfigurationSnapshot.Build(group).GetSection(TargetsPrefix + group.Key);
            options.Targets.Add(BindTarget(section, errors));
        }

        return options;
    }

    /// <summary>Rewrites every duration key to a TimeSpan string; an unparseable one is an error and dropped.</summary>
    private static Dictionary<string, string> NormalizeDurations(Dictionary<string, string> values, List<string> errors)
    {
        var normalized = new Dictionary<string, string>(values.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values)
        {
            var lastSegment = key[(key.LastIndexOf(':') + 1)..];
            if (!DurationKeys.Contains(lastSegment))
            {
                normalized[key] = value;
            }
            else if (DurationParser.TryParse(value, out var duration))
            {
                normalized[key] = DurationParser.Format(duration);
            }
            else
            {
                errors.Add($"{key}: '{value}' is not a duration (use 00:00:15, 15s, 1m or 500ms).");
            }
        }

        return normalized;
    }

    private static TargetOptions BindTarget(IConfigurationSection section, List<string> errors)
    {
        var target = StrictBind<TargetOptions>(section, errors, "Health", "Canary", "Labels") ?? new TargetOptions();
        target.Labels = section.GetSection("Labels").GetChildren().ToDictionary(l => l.Key, l => l.Value ?? string.Empty, StringComparer.Ordinal);
        target.Health = StrictBind<HealthOptions>(section.GetSection("Health"), errors, "Expect", "Components") ?? new HealthOptions();
        target.Health.Expect = StrictBind<ExpectOptions>(section.GetSection("Health:Expect"), errors) ?? new ExpectOptions();
        target.Health.Components = ListValue(section.GetSection("Health:Components"));
        target.Canary = StrictBind<CanaryOptions>(section.GetSection("Canary"), errors, "Samples") ?? new CanaryOptions();
        target.Canary.Samples = ListValue(section.GetSection("Canary:Samples"));
        return target;
    }

    /// <summary>A list given as children (JSON array, :0 :1 keys) or as one comma-separated value; an empty value is an empty list.</summary>
    private static List<string>? ListValue(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count > 0)
        {
            return [.. children.OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue).Select(c => c.Value ?? string.Empty)];
        }

        return section.Value is { } value ? [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : null;
    }

    /// <summary>
    /// Binds the scalar keys of <typeparamref name="T"/>; <paramref name="boundApart"/> are children the caller binds.
    /// Null when a value did not convert (each bad key is then named).
    /// </summary>
    private static T? StrictBind<T>(IConfigurationSection section, List<string> errors, params string[] boundApart)
        where T : class, new()
    {
        var instance = new T();
        if (!section.Exists())
        {
            return instance;
        }

        var known = KeyNames<T>.All.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var children = section.GetChildren().ToList();
        foreach (var child in children.Where(c => !known.Contains(c.Key)))
        {
            errors.Add($"{child.Path}: unknown key (expected one of {string.Join(", ", known.Order(StringComparer.Ordinal))}).");
        }

        var scalars = children.Where(c => known.Contains(c.Key) && !boundApart.Contains(c.Key, StringComparer.OrdinalIgnoreCase)).ToList();
        if (TryBind(instance, section, scalars))
        {
            return instance;
        }

        // A value did not convert: bind key by key to name every bad one.
        var failed = false;
        foreach (var child in scalars.Where(c => !TryBind(new T(), section, [c])))
        {
            failed = true;
            var value = child.Value is null ? string.Empty : $" '{child.Value}'";
            errors.Add($"{child.Path}:{value} is not a valid {KeyNames<T>.Describe(child.Key)}.");
        }

        return failed ? null : instance;
    }

    private static bool TryBind(object instance, IConfigurationSection section, IEnumerable<IConfigurationSection> keys)
    {
        try
        {
            new ConfigurationBuilder()
                .AddInMemoryCollection(keys.SelectMany(k => k.AsEnumerable(makePathsRelative: false))
                    .Select(kv => new KeyValuePair<string, string?>(kv.Key[(section.Path.Length + 1)..], kv.Value)))
                .Build()
                .Bind(instance);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
