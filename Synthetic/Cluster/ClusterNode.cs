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

    public ClusterNode(ClusterOptions options, IReadOnlyList<ICheck> checks, bool spreadStart)
    {
        Options = options;
        CheckList = checks;
        SpreadStart = spreadStart;
        Id = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        DataSource = Npgsql.NpgsqlDataSource.Create(options.ResolvedConnectionString!);
        Checks = checks.Count;
        Fingerprint = ComputeFingerprint(checks);
    }

    public string Id { get; }

    public ClusterOptions Options { get; }

    public Npgsql.NpgsqlDataSource DataSource { get; }

    public int Checks { get; }

    /// <summary>This node's configured checks, which the schedule is reconciled to.</summary>
    public IReadOnlyList<ICheck> CheckList { get; }

    /// <summary>Spread the first runs of new checks over one interval (Synthetic:SpreadStart).</summary>
    public bool SpreadStart { get; }

    public string Fingerprint { get; }

    /// <summary>How long past its last heartbeat a node still counts as alive.</summary>
    public TimeSpan AliveWindow => Options.CheckinInterval + TimeSpan.FromSeconds(2);

    internal static string ComputeFingerprint(IEnumerable<ICheck> checks)
    {
        var lines = checks.Select(c => $"{CheckRunner.Key(c)} {c.Interval.Ticks} {c.Retries}").Order(StringComparer.Ordinal);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        return Convert.ToHexStringLower(hash)[..12];
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
