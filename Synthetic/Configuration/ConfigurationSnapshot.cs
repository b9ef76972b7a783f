using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Synthetic.Configuration;

/// <summary>
/// The key/value pairs of one configuration section, read in a single pass. <c>IConfiguration</c> can only list
/// keys by walking children, and every <c>GetChildren</c> scans all keys of every provider: with 2,000 targets
/// (16,000 keys) walking the tree took about 10 s at start-up. Reading each provider's data once is linear.
/// </summary>
internal static class ConfigurationSnapshot
{
    // ConfigurationProvider.Data is protected API of the public base class of the JSON, environment-variable,
    // command-line and in-memory providers: stable, but not reachable without reflection.
    private static readonly PropertyInfo? DataProperty =
        typeof(ConfigurationProvider).GetProperty("Data", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>Every key under <paramref name="section"/> with a non-null value; later providers win, as in <c>IConfiguration</c>.</summary>
    public static Dictionary<string, string> Read(IConfiguration configuration, string section)
    {
        var prefix = section + ":";
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var providers = new List<IConfigurationProvider>();
        if (DataProperty is not null && Flatten(configuration, providers))
        {
            foreach (var provider in providers)
            {
                foreach (var (key, value) in (IDictionary<string, string?>)DataProperty.GetValue(provider)!)
                {
                    if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    {
                        Set(values, key, value);
                    }
                }
            }
        }
        else
        {
            // Other providers: the general walk, quadratic in the number of keys.
            foreach (var (key, value) in configuration.GetSection(section).AsEnumerable())
            {
                Set(values, key, value);
            }
        }

        return values;
    }

    /// <summary>
    /// The providers in order, with chained configurations opened up: the host builder chains the host's configuration
    /// into the application's, and missing that (issue 15) sent the shipped executable down the quadratic walk.
    /// </summary>
    private static bool Flatten(IConfiguration configuration, List<IConfigurationProvider> providers)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return false;
        }

        foreach (var provider in root.Providers)
        {
            switch (provider)
            {
                case ChainedConfigurationProvider chained when Flatten(chained.Configuration, providers):
                    break;
                case ConfigurationProvider:
                    providers.Add(provider);
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>A later provider's null hides the key, as it does in <c>IConfiguration</c>.</summary>
    private static void Set(Dictionary<string, string> values, string key, string? value)
    {
        if (value is null)
        {
            values.Remove(key);
        }
        else
        {
            values[key] = value;
        }
    }

    /// <summary>A configuration holding just these pairs (keys keep their full paths, so error messages name the real key).</summary>
    public static IConfiguration Build(IEnumerable<KeyValuePair<string, string>> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value))).Build();
}
