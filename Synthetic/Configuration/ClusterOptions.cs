using Npgsql;

namespace Synthetic.Configuration;

/// <summary>
/// <c>Synthetic:Cluster</c>: with a PostgreSQL connection string (or a file holding one) the monitor runs as one node
/// of a cluster sharing schedule and results; empty, it runs alone on the in-memory store.
/// </summary>
public sealed class ClusterOptions
{
    public static readonly TimeSpan DefaultCheckinInterval = TimeSpan.FromSeconds(10);

    public string? ConnectionString { get; set; }

    public string? ConnectionStringFile { get; set; }

    /// <summary>How often a node records it is alive; a node silent for two of them is dead and its work is taken over.</summary>
    public TimeSpan CheckinInterval { get; set; } = DefaultCheckinInterval;

    /// <summary>The connection string read from ConnectionString or ConnectionStringFile at start-up; never logged or exported.</summary>
    internal string? ResolvedConnectionString { get; set; }

    public bool Enabled => ResolvedConnectionString is not null;
}

/// <summary>Validates <c>Synthetic:Cluster</c> and reads the connection string; errors name the full key and never quote it.</summary>
internal static class ClusterValidator
{
    private static readonly TimeSpan MinimumCheckin = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaximumCheckin = TimeSpan.FromMinutes(5);

    public static ClusterOptions Validate(string p, ClusterOptions options, List<string> errors)
    {
        if (options.CheckinInterval < MinimumCheckin || options.CheckinInterval > MaximumCheckin)
        {
            errors.Add($"{p}:CheckinInterval: {DurationParser.Format(options.CheckinInterval)} is out of range (500ms to 5m).");
        }

        var value = SecretResolver.Resolve($"{p}:ConnectionString", Blank(options.ConnectionString), $"{p}:ConnectionStringFile",
            Blank(options.ConnectionStringFile), errors);
        var key = options.ConnectionStringFile is { Length: > 0 } ? $"{p}:ConnectionStringFile" : $"{p}:ConnectionString";
        if (value is not null && IsValid(key, value, errors))
        {
            options.ResolvedConnectionString = value;
        }

        return options;
    }

    /// <summary>Parses the string as Npgsql would; the message never repeats it (it may hold a password).</summary>
    private static bool IsValid(string key, string value, List<string> errors)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(value);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            errors.Add($"{key}: not a valid PostgreSQL connection string (expected Host=...;Database=...;Username=...;Password=...).");
            return false;
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            errors.Add($"{key}: the connection string has no Host.");
            return false;
        }

        return true;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
