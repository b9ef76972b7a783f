using Microsoft.Extensions.Configuration;
using Synthetic.Configuration;

namespace Synthetic.Cli;

/// <summary>The check command's arguments (parsed by <see cref="CheckCommand"/>); the configuration arguments are passed on.</summary>
internal sealed record CheckArguments(bool Json, bool Strict, TimeSpan Wait, string? Target, string? LicenseKeyFile, string? Dialect,
    IReadOnlyList<string> Samples, ConfigurationArguments Configuration)
{
    /// <summary>A valid target name from the URL's host and port, e.g. 127-0-0-1-7100.</summary>
    internal static string TargetName(Uri url)
    {
        var name = new string([.. $"{url.Host}-{url.Port}".ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '-')]);
        return name.Length > 63 ? name[..63] : name;
    }

    /// <summary>The configuration with --target (a single target replacing the configured ones) and per-canary overrides.</summary>
    public IConfiguration Apply(IConfiguration configuration)
    {
        var values = ConfigurationSnapshot.Read(configuration, SyntheticOptions.SectionName)
            .Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)).ToList();
        if (Target is not null)
        {
            // One target: the first configured target's settings (if any) with this URL; the others are dropped.
            values = [.. values.Where(kv => !kv.Key.StartsWith("Synthetic:Targets", StringComparison.OrdinalIgnoreCase) ||
                                             kv.Key.StartsWith("Synthetic:Targets:0:", StringComparison.OrdinalIgnoreCase))];
            values.RemoveAll(kv => kv.Key.Equals("Synthetic:Targets:0:Name", StringComparison.OrdinalIgnoreCase) ||
                                   kv.Key.Equals("Synthetic:Targets:0:BaseUrl", StringComparison.OrdinalIgnoreCase));
            values.Add(new("Synthetic:Targets:0:Name", TargetName(new Uri(Target))));
            values.Add(new("Synthetic:Targets:0:BaseUrl", Target));
        }

        var indexes = values.Select(kv => kv.Key.Split(':'))
            .Where(p => p.Length > 3 && p[0].Equals("Synthetic", StringComparison.OrdinalIgnoreCase) && p[1].Equals("Targets", StringComparison.OrdinalIgnoreCase))
            .Select(p => p[2]).Distinct().ToList();
        foreach (var index in indexes)
        {
            var prefix = $"Synthetic:Targets:{index}:";
            if (LicenseKeyFile is not null)
            {
                values.RemoveAll(kv => kv.Key.Equals(prefix + "LicenseKey", StringComparison.OrdinalIgnoreCase));
                values.Add(new(prefix + "LicenseKeyFile", LicenseKeyFile));
            }

            if (Dialect is not null)
            {
                values.Add(new(prefix + "Canary:Dialect", Dialect));
            }

            if (Samples.Count > 0)
            {
                values.RemoveAll(kv => kv.Key.StartsWith(prefix + "Canary:Samples", StringComparison.OrdinalIgnoreCase));
                values.AddRange(Samples.Select((s, i) => new KeyValuePair<string, string?>($"{prefix}Canary:Samples:{i}", s)));
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}

