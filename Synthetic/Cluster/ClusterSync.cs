using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Synthetic.Metrics;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Scheduling;

namespace Synthetic.Cluster;

/// <summary>
/// Once a second: writes this node's new results and its heartbeat, applies the results other nodes wrote (so every
/// node serves the same /status, gauges and verdicts), counts the live nodes and compares their configuration
/// fingerprints. A failing database sets <c>synthetic_cluster_db_up</c> to 0 and is logged once per change of
/// state; the node keeps serving what it last knew, keeps its unwritten results, and resumes by itself.
/// </summary>
internal sealed partial class ClusterSync(ClusterNode node, PostgresResultStore store, ClusterStatus status, SyntheticMetrics metrics,
    VerdictPublisher verdicts, TimeProvider time, ILogger<ClusterSync> logger) : BackgroundService
{
    internal static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>A full re-read every this many ticks covers a change number committed out of order.</summary>
    private const int FullReadEvery = 30;

    private const int PruneEvery = 60;
    private const int WriteBatch = 500;

    private readonly Redactor _redactor = new(new NpgsqlConnectionStringBuilder(node.Options.ResolvedConnectionString).Password);
    private List<ProbeResult> _unwritten = [];
    private long _seen;
    private long _ticks;
    private string _mismatch = string.Empty;
    private long _droppedLogged;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            do
            {
                await TickAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The last results of a node shutting down cleanly still reach the others.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await using var connection = await node.DataSource.OpenConnectionAsync(timeout.Token);
            await FlushAsync(connection, timeout.Token);
        }
        catch (Exception ex) when (IsDatabaseFault(ex) || ex is OperationCanceledException)
        {
            LogUnwrittenAtStop(_unwritten.Count + store.Pending);
        }
    }

    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var tick = _ticks++;
        try
        {
            await using var connection = await node.DataSource.OpenConnectionAsync(cancellationToken);
            await FlushAsync(connection, cancellationToken);
            Apply(await ClusterDatabase.ReadChangesAsync(connection, tick % FullReadEvery == 0 ? 0 : _seen, cancellationToken));
            CompareNodes(await ClusterDatabase.ReadNodesAsync(connection, node.AliveWindow, cancellationToken));
            if (tick % PruneEvery == PruneEvery - 1)
            {
                await ClusterDatabase.PruneAsync(connection, cancellationToken);
            }

            if (status.SetDatabaseUp(true))
            {
                LogDatabaseBack(_unwritten.Count);
            }
        }
        catch (Exception ex) when (IsDatabaseFault(ex) && !cancellationToken.IsCancellationRequested)
        {
            // Pooled connections to a restarted server are dead: the next tick opens new ones instead of failing once more.
            node.DataSource.Clear();
            if (status.SetDatabaseUp(false))
            {
                LogDatabaseDown(_redactor.Apply(ex.Message));
            }
        }

        if (store.Dropped is var dropped && dropped > _droppedLogged)
        {
            LogDropped(dropped - _droppedLogged, PostgresResultStore.MaxPending);
            _droppedLogged = dropped;
        }
    }

    private async Task FlushAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        do
        {
            if (_unwritten.Count < WriteBatch)
            {
                _unwritten.AddRange(store.Take(WriteBatch - _unwritten.Count));
            }

            // Oldest first, so the shared history keeps the order the runs finished in.
            _unwritten.Sort((a, b) => a.FinishedAt.CompareTo(b.FinishedAt));
            await ClusterDatabase.WriteAsync(connection, node, _unwritten, cancellationToken);
            _unwritten = [];
        }
        while (store.Pending > 0);
    }

    private void Apply(List<SharedRow> rows)
    {
        foreach (var row in rows)
        {
            _seen = Math.Max(_seen, row.Version);
            var state = store.Get(row.Target, row.Probe);
            if (state is null)
            {
                // A check another node runs and this one's configuration lacks: CompareNodes names the difference.
                continue;
            }

            var local = state.Latest;
            var history = ResultJson.History(row.History);
            // PostgreSQL keeps microseconds: a local result within 1 µs of the row is the same result.
            if (local is null || row.FinishedAt - local.FinishedAt > TimeSpan.FromMicroseconds(1))
            {
                var latest = ResultJson.Deserialize(row.Latest);
                if (latest is null)
                {
                    continue;
                }

                state.Replace(latest, ResultJson.Deserialize(row.LastFailure), history);
                // A target's retry_after binds the whole cluster, not only the node that was told.
                state.BackOffFor(latest);

                metrics.RecordLatest(latest);
                verdicts.Publish(latest.Target);
            }
            else if (local.FinishedAt - row.FinishedAt <= TimeSpan.FromMicroseconds(1))
            {
                state.Replace(local, state.LastFailure ?? ResultJson.Deserialize(row.LastFailure), history);
            }
        }
    }

    private void CompareNodes(List<(string Node, string Fingerprint, int Checks)> nodes)
    {
        status.SetNodes(nodes.Count);
        var different = nodes.Where(n => n.Fingerprint != node.Fingerprint).ToList();
        var mismatch = string.Join(", ", different.Select(n => $"{n.Node} (configuration {n.Fingerprint}, {n.Checks} checks)"));
        if (mismatch == _mismatch)
        {
            return;
        }

        _mismatch = mismatch;
        if (different.Count > 0)
        {
            LogConfigurationMismatch(node.Id, node.Fingerprint, node.Checks, mismatch);
        }
        else
        {
            LogConfigurationAgrees(nodes.Count, node.Fingerprint);
        }
    }

    internal static bool IsDatabaseFault(Exception ex) =>
        ex is NpgsqlException or TimeoutException or IOException or SocketException or InvalidOperationException;

    [LoggerMessage(EventId = 610, Level = LogLevel.Error, Message = "Cluster database unreachable: {Why}. Serving the last known state; results are kept until it returns.")]
    private partial void LogDatabaseDown(string why);

    [LoggerMessage(EventId = 611, Level = LogLevel.Information, Message = "Cluster database reachable again; wrote {Count} kept results.")]
    private partial void LogDatabaseBack(int count);

    [LoggerMessage(EventId = 612, Level = LogLevel.Warning, Message = "Cluster nodes run different configurations: this node {Node} has configuration {Fingerprint} ({Checks} checks), but {Others}. The schedule follows the node started last; give every node the same configuration.")]
    private partial void LogConfigurationMismatch(string node, string fingerprint, int checks, string others);

    [LoggerMessage(EventId = 613, Level = LogLevel.Information, Message = "Cluster: {Nodes} node(s) alive, all with configuration {Fingerprint}.")]
    private partial void LogConfigurationAgrees(int nodes, string fingerprint);

    [LoggerMessage(EventId = 614, Level = LogLevel.Warning, Message = "Cluster database down too long: dropped {Count} results beyond the {Max} kept.")]
    private partial void LogDropped(long count, int max);

    [LoggerMessage(EventId = 615, Level = LogLevel.Warning, Message = "Stopping with {Count} results not written to the cluster database.")]
    private partial void LogUnwrittenAtStop(int count);
}
