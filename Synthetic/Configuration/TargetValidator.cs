namespace Synthetic.Configuration;

/// <summary>The rules of the top level and of each target (name, URL, labels); pure: errors out, nothing thrown.</summary>
internal static class TargetValidator
{
    private static readonly HashSet<string> ReservedLabels = new(StringComparer.Ordinal)
    {
        "target", "probe", "outcome", "reason", "phase", "component", "sample", "version", "le", "job", "instance",
    };

    public static void ValidateRoot(SyntheticOptions options, List<string> errors)
    {
        var p = SyntheticOptions.SectionName;
        if (options.Targets.Count == 0)
        {
            errors.Add($"{p}:Targets: at least one target is required.");
        }

        foreach (var duplicate in options.Targets.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Key.Length > 0 && g.Count() > 1))
        {
            errors.Add($"{p}:Targets: duplicate target Name '{duplicate.Key}' (names must be unique; they become the 'target' label).");
        }

        if (!Uri.TryCreate(options.Listen, UriKind.Absolute, out var listen) || listen.Scheme != Uri.UriSchemeHttp)
        {
            errors.Add($"{p}:Listen: '{options.Listen}' is not an absolute http:// URL (e.g. http://0.0.0.0:9190).");
        }

        if (options.FixturesPath is not null && !Directory.Exists(options.FixturesPath))
        {
            errors.Add($"{p}:FixturesPath: folder '{options.FixturesPath}' does not exist.");
        }
    }

    /// <summary>Validates a target's own keys; returns its base URL when that is valid.</summary>
    public static Uri? Validate(string p, TargetOptions target, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(target.Name))
        {
            errors.Add($"{p}:Name: required (lower-case letters, digits, '_' or '-').");
        }
        else if (!ValidationRules.NamePattern().IsMatch(target.Name) || target.Name.Length > 63)
        {
            errors.Add($"{p}:Name: '{target.Name}' must match [a-z0-9_-]+ and be at most 63 characters (it becomes the 'target' label).");
        }

        Uri? result = null;
        if (string.IsNullOrWhiteSpace(target.BaseUrl))
        {
            errors.Add($"{p}:BaseUrl: required (e.g. http://api-server:7100).");
        }
        else if (!Uri.TryCreate(target.BaseUrl, UriKind.Absolute, out var baseUrl) ||
                 (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{p}:BaseUrl: '{ValidationRules.Redact(target.BaseUrl)}' is not an absolute http:// or https:// URL.");
        }
        else if (!string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment))
        {
            errors.Add($"{p}:BaseUrl: must not contain a query or fragment.");
        }
        else
        {
            result = new Uri(target.BaseUrl.TrimEnd('/') + "/");
        }

        foreach (var (key, value) in target.Labels)
        {
            if (!ValidationRules.LabelPattern().IsMatch(key) || key.StartsWith("__", StringComparison.Ordinal))
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

        if (!target.Health.Enabled && !target.Canary.Enabled && !target.Streaming.Enabled)
        {
            errors.Add($"{p}: Health:Enabled, Canary:Enabled and Streaming:Enabled are all false; the target would never be probed.");
        }

        return result;
    }
}
