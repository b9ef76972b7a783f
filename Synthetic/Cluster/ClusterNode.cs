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

    public ClusterNode(ClusterOptions options, IReadOnlyList<ICheck> checks, bool spreadStart)
    {
        Options = options;
        CheckList = checks;
        SpreadStart = spreadStart;
        Id = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        DataSource = Npgsql.NpgsqlDataSource.Create(options.ResolvedConnectionString!);
        QuartzConnectionString = LimitPool(options.ResolvedConnectionString!, QuartzPoolSize);
        Checks = checks.Count;
        Fingerprint = ComputeFingerprint(checks);
    }

    public string Id { get; }

    public ClusterOptions Options { get; }

    public Npgsql.NpgsqlDataSource DataSource { get; }

    /// <summary>The connection string Quartz's job store uses: the configured one, its pool bounded (see <see cref="QuartzPoolSize"/>).</summary>
    public string QuartzConnectionString { get; }

    public int Checks { get; }

    /// <summary>This node's configured checks, which the schedule is reconciled to.</summary>
    public IReadOnlyList<ICheck> CheckList { get; }

    /// <summary>Spread the first runs of new checks over one interval (Synthetic:SpreadStart).</summary>
    public bool SpreadStart { get; }

    public string Fingerprint { get; }

    /// <summary>How long past its last heartbeat a node still counts as alive.</summary>
    public TimeSpan AliveWindow => Options.CheckinInterval + TimeSpan.FromSeconds(2);

    /// <summary>Sets Maximum Pool Size to <paramref name="size"/> unless the connection string sets one itself.</summary>
    internal static string LimitPool(string connectionString, int size)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.Keys.Cast<string>().Any(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant() is "MAXIMUMPOOLSIZE" or "MAXPOOLSIZE"))
        {
            return connectionString;
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = size }.ConnectionString;
    }

    internal static string ComputeFingerprint(IEnumerable<ICheck> checks)
    {
        var lines = checks.Select(c => $"{CheckRunner.Key(c)} {c.Interval.Ticks} {c.Retries}").Order(StringComparer.Ordinal);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        return Convert.ToHexStringLower(hash)[..12];
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
