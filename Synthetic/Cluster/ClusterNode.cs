using System.Security.Cryptography;
using System.Text;
using Synthetic.Checks;
using Synthetic.Configuration;
using Synthetic.Scheduling;

namespace Synthetic.Cluster;

/// <summary>
/// This node: its id (the Quartz instance id, unique per process), the cluster options, the data source every
/// cluster component shares, and a fingerprint of its checks (key, interval, retries) so nodes started with
/// different configurations are told apart.
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    /// <summary>The Quartz scheduler name (SCHED_NAME) every node of a cluster shares.</summary>
    public const string SchedulerName = "synthetic";

    /// <summary>
    /// Connections Quartz may hold when the connection string sets no pool size. Its transactions queue on one row
    /// lock across the cluster, so more connections only wait in PostgreSQL: with Npgsql's default of 100 per node two
    /// nodes of 2,000 checks met "too many clients" at max_connections 200 (bench scenario 6).
    /// </summary>
    public const int QuartzPoolSize = 20;

    /// <summary>
    /// Statements Npgsql prepares per connection when the connection string does not say: Quartz sends the same few
    /// dozen statements all the time, and unprepared PostgreSQL parses and plans each one every time (PostgreSQL CPU per
    /// run 4.8 → 4.0 ms at 2,000 checks × 15 s on two nodes).
    /// </summary>
    public const int QuartzAutoPrepare = 50;

    public ClusterNode(ClusterOptions options, IReadOnlyList<ICheck> checks, bool spreadStart)
    {
        Options = options;
        CheckList = checks;
        SpreadStart = spreadStart;
        Id = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        DataSource = Npgsql.NpgsqlDataSource.Create(options.ResolvedConnectionString!);
        QuartzConnectionString = ForQuartz(options.ResolvedConnectionString!);
        Checks = checks.Count;
        Fingerprint = ComputeFingerprint(checks);
    }

    public string Id { get; }

    public ClusterOptions Options { get; }

    public Npgsql.NpgsqlDataSource DataSource { get; }

    /// <summary>The connection string Quartz's job store uses: the configured one with <see cref="QuartzPoolSize"/>, <see cref="QuartzAutoPrepare"/> and no reset on close unless it sets them.</summary>
    public string QuartzConnectionString { get; }

    public int Checks { get; }

    /// <summary>This node's configured checks, which the schedule is reconciled to.</summary>
    public IReadOnlyList<ICheck> CheckList { get; }

    /// <summary>Spread the first runs of new checks over one interval (Synthetic:SpreadStart).</summary>
    public bool SpreadStart { get; }

    public string Fingerprint { get; }

    /// <summary>How long past its last heartbeat a node still counts as alive.</summary>
    public TimeSpan AliveWindow => Options.CheckinInterval + TimeSpan.FromSeconds(2);

    /// <summary>Sets Maximum Pool Size, Max Auto Prepare and No Reset On Close for Quartz unless the connection string sets them itself.</summary>
    internal static string ForQuartz(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("MAXIMUMPOOLSIZE") && !given.Contains("MAXPOOLSIZE"))
        {
            builder.MaxPoolSize = QuartzPoolSize;
        }

        if (!given.Contains("MAXAUTOPREPARE"))
        {
            builder.MaxAutoPrepare = QuartzAutoPrepare;
        }

        // Quartz leaves no session state behind (no SET, temp tables, LISTEN or advisory locks on its connections), and
        // with prepared statements Npgsql resets a returned connection with seven statements instead of DISCARD ALL:
        // without the reset, PostgreSQL CPU per run 5.1 -> 2.1 ms, transactions per run 2.2 -> 1.2 (2,000 checks × 15 s, two nodes).
        if (!given.Contains("NORESETONCLOSE"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    internal static string ComputeFingerprint(IEnumerable<ICheck> checks)
    {
        var lines = checks.Select(c => $"{CheckRunner.Key(c)} {c.Interval.Ticks} {c.Retries}").Order(StringComparer.Ordinal);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        return Convert.ToHexStringLower(hash)[..12];
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
