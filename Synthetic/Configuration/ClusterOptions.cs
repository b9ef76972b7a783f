using Microsoft.Extensions.Configuration;
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

/// <summary>Binds and validates <c>Synthetic:Cluster</c>; errors name the full key and never quote the connection string.</summary>
internal static class ClusterConfiguration
{
    private static readonly TimeSpan MinimumCheckin = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaximumCheckin = TimeSpan.FromMinutes(5);

    public static ClusterOptions Load(IConfigurationSection section, List<string> errors)
    {
        var options = new ClusterOptions
        {
            ConnectionString = Blank(section["ConnectionString"]),
            ConnectionStringFile = Blank(section["ConnectionStringFile"]),
        };
        string[] known = ["ConnectionString", "ConnectionStringFile", "CheckinInterval"];
        foreach (var child in section.GetChildren().Where(c => !known.Contains(c.Key, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add($"{child.Path}: unknown key (expected one of {string.Join(", ", known)}).");
        }

        if (section["CheckinInterval"] is { Length: > 0 } checkin)
        {
            if (!DurationParser.TryParse(checkin, out var interval))
            {
                errors.Add($"{section.Path}:CheckinInterval: '{checkin}' is not a duration (use 10s, 00:00:10 or 500ms).");
            }
            else if (interval < MinimumCheckin || interval > MaximumCheckin)
            {
                errors.Add($"{section.Path}:CheckinInterval: {checkin} is out of range (500ms to 5m).");
            }
            else
            {
                options.CheckinInterval = interval;
            }
        }

        if (options.ConnectionString is not null && options.ConnectionStringFile is not null)
        {
            errors.Add($"{section.Path}:ConnectionStringFile: set either ConnectionString or ConnectionStringFile, not both.");
            return options;
        }

        var (key, value) = options.ConnectionString is not null
            ? ("ConnectionString", options.ConnectionString)
            : ("ConnectionStringFile", options.ConnectionStringFile is { } file ? ReadFile(section.Path, file, errors) : null);
        if (value is not null && Validate($"{section.Path}:{key}", value, errors))
        {
            options.ResolvedConnectionString = value;
        }

        return options;
    }

    private static string? ReadFile(string path, string file, List<string> errors)
    {
        try
        {
            var text = File.ReadAllText(file).Trim();
            if (text.Length == 0)
            {
                errors.Add($"{path}:ConnectionStringFile: file '{file}' is empty.");
                return null;
            }

            return text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var why = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file",
                UnauthorizedAccessException => "permission denied",
                _ => "not a readable file",
            };
            errors.Add($"{path}:ConnectionStringFile: cannot read '{file}' ({why}).");
            return null;
        }
    }

    /// <summary>Parses the string as Npgsql would; the message never repeats it (it may hold a password).</summary>
    private static bool Validate(string key, string value, List<string> errors)
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
