using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using Synthetic.Scheduling;

namespace Synthetic.Cluster;

/// <summary>
/// The cluster's schedule follows the configuration: on start, under an advisory lock (one node at a time), a check
/// with no trigger is added (first runs spread over one interval), a check whose interval changed is rescheduled,
/// a job no longer configured is deleted, and an unchanged trigger is left alone so a node joining or restarting
/// never moves the others' schedule.
/// </summary>
internal sealed partial class ClusterScheduleReconciler(ISchedulerFactory schedulers, ClusterNode node, TimeProvider time,
    ILogger<ClusterScheduleReconciler> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await using var connection = await node.DataSource.OpenConnectionAsync(cancellationToken);
        await ClusterSchema.ExecuteAsync(connection, $"SELECT pg_advisory_lock({ClusterSchema.ReconcileLock})", cancellationToken);
        try
        {
            var (added, changed, removed, kept) = await ReconcileAsync(scheduler, cancellationToken);
            LogReconciled(added, changed, removed, kept);
        }
        finally
        {
            await ClusterSchema.ExecuteAsync(connection, $"SELECT pg_advisory_unlock({ClusterSchema.ReconcileLock})", CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<(int Added, int Changed, int Removed, int Kept)> ReconcileAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var wanted = node.CheckList.ToDictionary(CheckRunner.Key, StringComparer.Ordinal);
        var removed = 0;
        foreach (var jobKey in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(CheckJob.Group), cancellationToken))
        {
            if (!wanted.ContainsKey(jobKey.Name) && await scheduler.DeleteJob(jobKey, cancellationToken))
            {
                removed++;
            }
        }

        var (added, changed, kept) = (0, 0, 0);
        var start = time.GetUtcNow() + CheckScheduler.FirstRunDelay;
        foreach (var group in node.CheckList.GroupBy(c => c.Interval))
        {
            var inGroup = group.ToList();
            for (var i = 0; i < inGroup.Count; i++)
            {
                var check = inGroup[i];
                var offset = node.SpreadStart ? Scheduling.ScheduleSpread.Offset(check.Interval, i, inGroup.Count) : TimeSpan.Zero;
                var (job, trigger) = CheckScheduler.Build(check, start + offset);
                var existing = await scheduler.GetTrigger(trigger.Key, cancellationToken);
                if (existing is ISimpleTrigger simple && simple.RepeatInterval == check.Interval && simple.RepeatCount == Quartz.Impl.Triggers.SimpleTriggerImpl.RepeatIndefinitely &&
                    await scheduler.Exists(job.Key, cancellationToken))
                {
                    kept++;
                }
                else if (existing is not null)
                {
                    await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
                    changed++;
                }
                else
                {
                    await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
                    added++;
                }
            }
        }

        return (added, changed, removed, kept);
    }

    [LoggerMessage(EventId = 630, Level = LogLevel.Information, Message = "Cluster schedule reconciled with the configuration: {Added} added, {Changed} rescheduled, {Removed} removed, {Kept} kept")]
    private partial void LogReconciled(int added, int changed, int removed, int kept);
}
