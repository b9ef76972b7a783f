using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Synthetic.Configuration;

/// <summary>
/// Binds and validates the <c>Synthetic</c> section. Every problem is collected with the full key that
/// causes it, so one start-up message names all of them (exit code 2), never a stack trace.
/// </summary>
internal static partial class ConfigurationLoader
{
    private static readonly HashSet<string> DurationKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "Interval", "Timeout", "AttemptTimeout", "MaxLatency", "DegradedLatency",
    };

    private static readonly HashSet<string> ReservedLabels = new(StringComparer.Ordinal)
    {
        "target", "probe", "outcome", "reason", "phase", "component", "sample", "version", "le", "job", "instance",
    };

    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);

    public static ConfigurationLoadResult Load(IConfiguration configuration)
    {
        var errors = new List<string>();
        var values = NormalizeDurations(ConfigurationSnapshot.Read(configuration, SyntheticOptions.SectionName), errors);

        // Each target gets a configuration of its own keys: binding it never scans the other targets' keys.
        var targetsPrefix = SyntheticOptions.SectionName + ":Targets:";
        var byTarget = values.Where(kv => kv.Key.StartsWith(targetsPrefix, StringComparison.OrdinalIgnoreCase))
            .GroupBy(kv => kv.Key[targetsPrefix.Length..].Split(':')[0], StringComparer.OrdinalIgnoreCase)
            .ToList();
        var root = ConfigurationSnapshot.Build(values.Where(kv => !kv.Key.StartsWith(targetsPrefix, StringComparison.OrdinalIgnoreCase)))
            .GetSection(SyntheticOptions.SectionName);

        var options = new SyntheticOptions
        {
            Listen = root["Listen"] ?? new SyntheticOptions().Listen,
            FixturesPath = string.IsNullOrWhiteSpace(root["FixturesPath"]) ? null : root["FixturesPath"],
        };
        if (root["SpreadStart"] is { } spread)
        {
            if (bool.TryParse(spread, out var spreadValue))
            {
                options.SpreadStart = spreadValue;
            }
            else
            {
                errors.Add($"{SyntheticOptions.SectionName}:SpreadStart: '{spread}' is not true or false.");
            }
        }

        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Targets", "Listen", "FixturesPath", "SpreadStart", "Cluster" };
        foreach (var child in root.GetChildren().Where(c => !known.Contains(c.Key)))
        {
            errors.Add($"{child.Path}: unknown key (expected one of {string.Join(", ", known)}).");
        }

        options.Cluster = ClusterConfiguration.Load(root.GetSection("Cluster"), errors);
        foreach (var group in byTarget.OrderBy(g => int.TryParse(g.Key, out var i) ? i : int.MaxValue))
        {
            var section = ConfigurationSnapshot.Build(group).GetSection(targetsPrefix + group.Key);
            var target = BindTarget(section, errors);
            if (target is not null)
            {
                options.Targets.Add(target);
                ValidateTarget(section.Path, target, errors);
            }
        }

        if (byTarget.Count == 0)
        {
            errors.Add($"{SyntheticOptions.SectionName}:Targets: at least one target is required.");
        }

        foreach (var duplicate in options.Targets.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Key.Length > 0 && g.Count() > 1))
        {
            errors.Add($"{SyntheticOptions.SectionName}:Targets: duplicate target Name '{duplicate.Key}' (names must be unique; they become the 'target' label).");
        }

        if (!Uri.TryCreate(options.Listen, UriKind.Absolute, out var listen) || listen.Scheme != Uri.UriSchemeHttp)
        {
            errors.Add($"{SyntheticOptions.SectionName}:Listen: '{options.Listen}' is not an absolute http:// URL (e.g. http://0.0.0.0:9190).");
        }

        if (options.FixturesPath is not null && !Directory.Exists(options.FixturesPath))
        {
            errors.Add($"{SyntheticOptions.SectionName}:FixturesPath: folder '{options.FixturesPath}' does not exist.");
        }

        return new ConfigurationLoadResult(options, errors);
    }

    /// <summary>Rewrites every duration key (00:00:15, 15s, 1m, 500ms) to a TimeSpan string; an unparseable one is an error and dropped.</summary>
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

    private static TargetOptions? BindTarget(IConfigurationSection section, List<string> errors)
    {
        var before = errors.Count;
        var health = TryBind<HealthOptions>(section.GetSection("Health"), errors, "Expect");
        var expect = TryBind<ExpectOptions>(section.GetSection("Health:Expect"), errors);
        var canary = TryBind<CanaryOptions>(section.GetSection("Canary"), errors);

        var target = new TargetOptions();
        var knownTop = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Name", "BaseUrl", "LicenseKey", "LicenseKeyFile", "Labels", "ReuseConnections", "Health", "Canary",
        };
        foreach (var child in section.GetChildren().Where(c => !knownTop.Contains(c.Key)))
        {
            errors.Add($"{child.Path}: unknown key (expected one of {string.Join(", ", knownTop)}).");
        }

        target.Name = section["Name"] ?? string.Empty;
        target.BaseUrl = section["BaseUrl"] ?? string.Empty;
        target.LicenseKey = section["LicenseKey"];
        target.LicenseKeyFile = section["LicenseKeyFile"];
        if (section["ReuseConnections"] is { } reuse)
        {
            if (bool.TryParse(reuse, out var reuseValue))
            {
                target.ReuseConnections = reuseValue;
            }
            else
            {
                errors.Add($"{section.Path}:ReuseConnections: '{reuse}' is not true or false.");
            }
        }

        foreach (var label in section.GetSection("Labels").GetChildren())
        {
            target.Labels[label.Key] = label.Value ?? string.Empty;
        }

        // An empty value ("Components": "" or an empty JSON array) means none; a comma list is accepted too.
        if (health is not null && ListValue(section.GetSection("Health:Components")) is { } components)
        {
            health.Components = components;
        }

        if (canary is not null && ListValue(section.GetSection("Canary:Samples")) is { } samples)
        {
            canary.Samples = samples;
        }

        if (health is not null)
        {
            health.Expect = expect ?? new ExpectOptions();
            target.Health = health;
        }

        if (canary is not null)
        {
            target.Canary = canary;
        }

        return errors.Count == before || health is not null || canary is not null ? target : null;
    }

    private static List<string>? ListValue(IConfigurationSection section) =>
        section.Value is { } value && !section.GetChildren().Any()
            ? [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : null;

    private static T? TryBind<T>(IConfigurationSection section, List<string> errors, params string[] skipChildren)
        where T : class, new()
    {
        var instance = new T();
        if (!section.Exists())
        {
            return instance;
        }

        // Unknown keys are typos ("Intervall") that would otherwise be silently ignored.
        var properties = KeyNames<T>.All.Concat(skipChildren).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var children = section.GetChildren().ToList();
        foreach (var child in children.Where(c => !properties.Contains(c.Key)))
        {
            errors.Add($"{child.Path}: unknown key (expected one of {string.Join(", ", properties.Except(skipChildren).Order())}).");
        }

        try
        {
            section.Bind(instance);
            return instance;
        }
        catch (InvalidOperationException)
        {
            // A value did not convert: bind key by key to name every bad one.
        }

        foreach (var child in children.Where(c => properties.Contains(c.Key) && !skipChildren.Contains(c.Key, StringComparer.OrdinalIgnoreCase)))
        {
            try
            {
                var probe = new T();
                new ConfigurationBuilder()
                    .AddInMemoryCollection(child.AsEnumerable(makePathsRelative: false)
                        .Select(kv => new KeyValuePair<string, string?>(kv.Key[(section.Path.Length + 1)..], kv.Value)))
                    .Build()
                    .Bind(probe);
            }
            catch (InvalidOperationException ex)
            {
                var value = child.Value is null ? string.Empty : $" '{child.Value}'";
                errors.Add($"{child.Path}:{value} is not a valid {Describe(typeof(T), child.Key)} ({FirstLine(ex)}).");
            }
        }

        return instance;
    }

    private static string Describe(Type owner, string key)
    {
        var property = owner.GetProperties().FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase));
        var type = property is null ? null : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type switch
        {
            null => "value",
            _ when type == typeof(bool) => "boolean (true or false)",
            _ when type == typeof(int) => "whole number",
            _ when type == typeof(double) => "number",
            _ when type == typeof(TimeSpan) => "duration",
            _ when type.IsGenericType => "list",
            _ => type.Name,
        };
    }

    private static string FirstLine(Exception ex)
    {
        var message = (ex.InnerException ?? ex).Message;
        var newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }

    private static void ValidateTarget(string p, TargetOptions target, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(target.Name))
        {
            errors.Add($"{p}:Name: required (lower-case letters, digits, '_' or '-').");
        }
        else if (!NamePattern().IsMatch(target.Name) || target.Name.Length > 63)
        {
            errors.Add($"{p}:Name: '{target.Name}' must match [a-z0-9_-]+ and be at most 63 characters (it becomes the 'target' label).");
        }

        if (string.IsNullOrWhiteSpace(target.BaseUrl))
        {
            errors.Add($"{p}:BaseUrl: required (e.g. http://api-server:7100).");
        }
        else if (!Uri.TryCreate(target.BaseUrl, UriKind.Absolute, out var baseUrl) ||
                 (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{p}:BaseUrl: '{Redact(target.BaseUrl)}' is not an absolute http:// or https:// URL.");
        }
        else if (!string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment))
        {
            errors.Add($"{p}:BaseUrl: must not contain a query or fragment.");
        }

        ValidateLicenseKey(p, target, errors);

        foreach (var (key, value) in target.Labels)
        {
            if (!LabelPattern().IsMatch(key) || key.StartsWith("__", StringComparison.Ordinal))
            {
                errors.Add($"{p}:Labels:{key}: not a valid Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading '__').");
            }
            else if (ReservedLabels.Contains(key))
            {
                errors.Add($"{p}:Labels:{key}: '{key}' is reserved by Synthetic's own metrics.");
            }

            if (value.Length > 256)
            {
                errors.Add($"{p}:Labels:{key}: value longer than 256 characters.");
            }
        }

        if (!target.Health.Enabled && !target.Canary.Enabled)
        {
            errors.Add($"{p}: both Health:Enabled and Canary:Enabled are false; the target would never be probed.");
        }

        ValidateHealth($"{p}:Health", target.Health, errors);
        ValidateCanary($"{p}:Canary", target.Canary, errors);
    }

    private static void ValidateLicenseKey(string p, TargetOptions target, List<string> errors)
    {
        var hasKey = !string.IsNullOrEmpty(target.LicenseKey);
        var hasFile = !string.IsNullOrEmpty(target.LicenseKeyFile);
        if (hasKey && hasFile)
        {
            errors.Add($"{p}:LicenseKeyFile: set either LicenseKey or LicenseKeyFile, not both.");
            return;
        }

        if (hasKey)
        {
            target.ResolvedLicenseKey = target.LicenseKey!.Trim();
            return;
        }

        if (!hasFile)
        {
            return;
        }

        try
        {
            var key = File.ReadAllText(target.LicenseKeyFile!).Trim();
            if (key.Length == 0)
            {
                errors.Add($"{p}:LicenseKeyFile: file '{target.LicenseKeyFile}' is empty.");
            }
            else
            {
                target.ResolvedLicenseKey = key;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var why = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file",
                UnauthorizedAccessException => "permission denied",
                _ => "not a readable file",
            };
            errors.Add($"{p}:LicenseKeyFile: cannot read '{target.LicenseKeyFile}' ({why}).");
        }
    }

    private static void ValidateHealth(string p, HealthOptions health, List<string> errors)
    {
        ValidatePath($"{p}:Path", health.Path, errors);
        ValidateSchedule(p, health.Interval, health.Timeout, errors);
        if (health.Retries is < 0 or > 3)
        {
            errors.Add($"{p}:Retries: {health.Retries} is out of range (0 to 3).");
        }

        if (health.Components is not null)
        {
            foreach (var (component, index) in health.Components.Select((c, i) => (c, i)))
            {
                if (string.IsNullOrWhiteSpace(component) || !NamePattern().IsMatch(component))
                {
                    errors.Add($"{p}:Components:{index}: '{component}' must match [a-z0-9_-]+.");
                }
            }

            foreach (var duplicate in health.Components.GroupBy(c => c).Where(g => g.Count() > 1))
            {
                errors.Add($"{p}:Components: '{duplicate.Key}' is listed twice.");
            }
        }

        var expect = health.Expect;
        if (expect.Status is < 100 or > 599)
        {
            errors.Add($"{p}:Expect:Status: {expect.Status} is not an HTTP status code (100 to 599).");
        }

        var hasJson = !string.IsNullOrWhiteSpace(expect.JsonPath);
        if (hasJson && string.IsNullOrEmpty(expect.EqualsValue))
        {
            errors.Add($"{p}:Expect:Equals: required when Expect:JsonPath is set (e.g. healthy).");
        }

        if (hasJson && !JsonPathPattern().IsMatch(expect.JsonPath!))
        {
            errors.Add($"{p}:Expect:JsonPath: '{expect.JsonPath}' must be a dotted path of property names (e.g. status or data.state).");
        }

        if (!hasJson && string.IsNullOrEmpty(expect.Contains))
        {
            errors.Add($"{p}:Expect: set JsonPath and Equals (parsed JSON) or Contains (plain text body).");
        }
    }

    private static void ValidateCanary(string p, CanaryOptions canary, List<string> errors)
    {
        if (!Dialects.All.Contains(canary.Dialect))
        {
            errors.Add($"{p}:Dialect: '{canary.Dialect}' is not one of {string.Join(", ", Dialects.All)}.");
        }

        if (canary.Path is not null)
        {
            ValidatePath($"{p}:Path", canary.Path, errors);
        }

        ValidateSchedule(p, canary.Interval, canary.Timeout, errors);
        if (canary.AttemptTimeout is { } attempt && (attempt <= TimeSpan.Zero || attempt > canary.Timeout))
        {
            errors.Add($"{p}:AttemptTimeout: {DurationParser.Format(attempt)} must be positive and at most Timeout.");
        }

        if (canary.Samples is { Count: 0 })
        {
            errors.Add($"{p}:Samples: at least one sample id is required (see fixtures/audio/manifest.json).");
        }

        if (canary.Samples is not null)
        {
            foreach (var duplicate in canary.Samples.GroupBy(s => s).Where(g => g.Count() > 1))
            {
                errors.Add($"{p}:Samples: '{duplicate.Key}' is listed twice.");
            }
        }

        if (!LanguagePattern().IsMatch(canary.Language))
        {
            errors.Add($"{p}:Language: '{canary.Language}' is not an ISO 639-1 code (e.g. en).");
        }

        if (string.IsNullOrWhiteSpace(canary.Model))
        {
            errors.Add($"{p}:Model: must not be empty.");
        }

        if (double.IsNaN(canary.MaxWer) || canary.MaxWer is < 0 or > 10)
        {
            errors.Add($"{p}:MaxWer: {canary.MaxWer.ToString(CultureInfo.InvariantCulture)} is out of range (0 to 10).");
        }

        if (double.IsNaN(canary.DegradedWer) || canary.DegradedWer < 0 || canary.DegradedWer > canary.MaxWer)
        {
            errors.Add($"{p}:DegradedWer: {canary.DegradedWer.ToString(CultureInfo.InvariantCulture)} must be between 0 and MaxWer.");
        }

        if (canary.MaxLatency <= TimeSpan.Zero)
        {
            errors.Add($"{p}:MaxLatency: must be positive.");
        }

        if (canary.DegradedLatency <= TimeSpan.Zero || canary.DegradedLatency > canary.MaxLatency)
        {
            errors.Add($"{p}:DegradedLatency: {DurationParser.Format(canary.DegradedLatency)} must be positive and at most MaxLatency.");
        }

        if (canary.Retries is < 0 or > 1)
        {
            errors.Add($"{p}:Retries: {canary.Retries} is out of range (0 or 1; retries must never hide flakiness).");
        }
    }

    private static void ValidateSchedule(string p, TimeSpan interval, TimeSpan timeout, List<string> errors)
    {
        if (interval < MinimumInterval)
        {
            errors.Add($"{p}:Interval: {DurationParser.Format(interval)} must be at least 100ms.");
        }

        if (timeout <= TimeSpan.Zero)
        {
            errors.Add($"{p}:Timeout: {DurationParser.Format(timeout)} must be positive.");
        }
        else if (timeout >= interval && interval >= MinimumInterval)
        {
            errors.Add($"{p}:Timeout: {DurationParser.Format(timeout)} must be shorter than Interval ({DurationParser.Format(interval)}).");
        }
    }

    private static void ValidatePath(string key, string path, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path) || !path.StartsWith('/') || path.Contains('?', StringComparison.Ordinal) ||
            path.Contains('#', StringComparison.Ordinal) || path.Any(char.IsWhiteSpace))
        {
            errors.Add($"{key}: '{path}' must be an absolute path starting with '/' (no query, no spaces).");
        }
    }

    /// <summary>Strips user info from a URL so credentials never reach an error message.</summary>
    internal static string Redact(string url)
    {
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 && at > scheme ? url[..(scheme + 3)] + "***@" + url[(at + 1)..] : url;
    }

    [GeneratedRegex("^[a-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z_][A-Za-z0-9_\-]*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonPathPattern();

    [GeneratedRegex("^[a-z]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguagePattern();
}

/// <summary>The configuration key of every property of <typeparamref name="T"/>, read once per type.</summary>
internal static class KeyNames<T>
{
    public static readonly IReadOnlyList<string> All = [.. typeof(T).GetProperties()
        .Select(p => p.GetCustomAttributes(typeof(ConfigurationKeyNameAttribute), false).OfType<ConfigurationKeyNameAttribute>().FirstOrDefault()?.Name ?? p.Name)];
}

internal sealed record ConfigurationLoadResult(SyntheticOptions Options, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
