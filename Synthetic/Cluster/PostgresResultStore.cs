using System.Collections.Concurrent;
using Synthetic.Results;

namespace Synthetic.Cluster;

/// <summary>
/// The store of a cluster node. Reads are served from memory (what /status, verdicts and gauges read), kept equal
/// on every node by <see cref="ClusterSync"/>, which applies the other nodes' results from PostgreSQL about once a
/// second; each result this node makes is kept at once and queued for PostgreSQL. While the database is down the
/// queue holds up to <see cref="MaxPending"/> results (the oldest are dropped beyond, and counted); they are
/// written when it returns.
/// </summary>
internal sealed class PostgresResultStore : IResultStore
{
    public const int MaxPending = 10_000;

    private readonly InMemoryResultStore _local = new();
    private readonly ConcurrentQueue<ProbeResult> _pending = new();
    private int _pendingCount;
    private long _dropped;

    public void Register(string target, string probe, TimeSpan interval) => _local.Register(target, probe, interval);

    public CheckState? Get(string target, string probe) => _local.Get(target, probe);

    public IEnumerable<CheckState> All => _local.All;

    public DateTimeOffset? LastCompletion => _local.LastCompletion;

    /// <summary>Results dropped because the queue was full during a long database outage.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public int Pending => Volatile.Read(ref _pendingCount);

    public void Add(ProbeResult result)
    {
        _local.Add(result);
        _pending.Enqueue(result);
        if (Interlocked.Increment(ref _pendingCount) > MaxPending && _pending.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _pendingCount);
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Takes up to <paramref name="max"/> queued results, oldest first.</summary>
    public List<ProbeResult> Take(int max)
    {
        var taken = new List<ProbeResult>();
        while (taken.Count < max && _pending.TryDequeue(out var result))
        {
            Interlocked.Decrement(ref _pendingCount);
            taken.Add(result);
        }

        return taken;
    }
}
