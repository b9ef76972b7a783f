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
        if (configuration is IConfigurationRoot root && DataProperty is not null && root.Providers.All(p => p is ConfigurationProvider))
        {
            foreach (var provider in root.Providers)
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
            // Other providers (e.g. a chained configuration): the slow but general walk.
            foreach (var (key, value) in configuration.GetSection(section).AsEnumerable())
            {
                Set(values, key, value);
            }
        }

        return values;
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
