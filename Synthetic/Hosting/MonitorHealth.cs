using Quartz;
using Synthetic.Scheduling;
using Synthetic.Results;

namespace Synthetic.Hosting;

/// <summary>
/// The monitor's own health: the scheduler runs, a cluster node reaches its database, and some check completed within
/// three intervals. A liveness signal: a monitor that is only behind schedule answers healthy with status "saturated"
/// (Kubernetes restarts on 503, and a restart, with its cold start, would make the backlog worse).
/// </summary>
internal sealed class MonitorHealth(ISchedulerFactory schedulers, IResultStore store, CheckRunner runner, TimeProvider time,
    Cluster.ClusterStatus? cluster = null, SchedulerSaturation? saturation = null)
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    /// <summary>Healthy or not, and the status word /healthz answers: <c>healthy</c>, <c>saturated</c> (still 200) or <c>unhealthy</c>.</summary>
    public async Task<(bool Healthy, string Status, string Detail)> EvaluateAsync(CancellationToken cancellationToken)
    {
        var (healthy, detail) = await LivenessAsync(cancellationToken);
        if (!healthy)
        {
            return (false, "unhealthy", detail);
        }

        return saturation?.Evaluate() is { Saturated: true } snapshot ? (true, "saturated", snapshot.Detail) : (true, "healthy", detail);
    }

    private async Task<(bool Healthy, string Detail)> LivenessAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        if (scheduler.Status != SchedulerStatus.Running)
        {
            // Quartz starts the scheduler once the application has started, a moment after Kestrel serves: a 503 until
            // then keeps "/healthz answers 200" meaning "the checks are scheduled and firing" (the start-up bench relies on it).
            return (false, scheduler.Status == SchedulerStatus.Created ? "scheduler not started yet" : "scheduler is not running");
        }

        if (cluster is { DatabaseUp: false })
        {
            return (false, "cluster database unreachable (synthetic_cluster_db_up 0): serving the last known state");
        }

        if (runner.Checks.Count == 0)
        {
            return (true, "no checks configured");
        }

        var window = 3 * runner.Checks.Min(c => c.Interval);
        var now = time.GetUtcNow();
        var last = store.LastCompletion;
        if (last is null)
        {
            // The first runs may be spread over one interval, and may take their timeout.
            var grace = 3 * runner.Checks.Max(c => c.Interval);
            return now - _startedAt <= grace ? (true, "starting: no run completed yet") : (false, "no check has completed since start");
        }

        return now - last.Value <= window
            ? (true, "ok")
            : (false, $"no check completed in the last {window.TotalSeconds:F0} s");
    }
}
