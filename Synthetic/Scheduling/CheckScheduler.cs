using Microsoft.Extensions.Hosting;
using Quartz;
using Synthetic.Checks;

namespace Synthetic.Scheduling;

/// <summary>
/// Schedules one Quartz job per check as the host starts, first runs spread evenly over one interval from that
/// moment (1,000 checks never fire in the same millisecond). Not AddQuartz's AddJob/AddTrigger: those take the
/// spread's start when the services are registered, seconds before the scheduler runs at 2,000 checks, and Quartz
/// re-anchored every trigger whose start had passed to the moment it was scheduled, so the head of the spread
/// fired as one burst on every round (bench scenario 3 saw 45 checks start within 20 ms, 15 s apart). They also
/// cost a DI registration per check.
/// </summary>
internal sealed class CheckScheduler(ISchedulerFactory schedulers, Schedule schedule, TimeProvider time) : IHostedService
{
    /// <summary>Time from scheduling to the first run of the first check: the scheduler starts right after the host.</summary>
    internal static readonly TimeSpan FirstRunDelay = TimeSpan.FromSeconds(1);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var jobs = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>();
        // Whole milliseconds, like the scheduler's clock (SchedulerClock), so its sleep until a fire time ends on it.
        var start = SchedulerClock.WholeMilliseconds(time.GetUtcNow()) + FirstRunDelay;
        foreach (var group in schedule.Checks.GroupBy(c => c.Interval))
        {
            var inGroup = group.ToList();
            for (var i = 0; i < inGroup.Count; i++)
            {
                var check = inGroup[i];
                var offset = schedule.SpreadStart ? ScheduleSpread.Offset(check.Interval, i, inGroup.Count) : TimeSpan.Zero;
                offset -= TimeSpan.FromTicks(offset.Ticks % TimeSpan.TicksPerMillisecond);
                var (job, trigger) = Build(check, start + offset);
                jobs[job] = [trigger];
            }
        }

        await scheduler.ScheduleJobs(jobs, new ScheduleJobOptions { Replace = true }, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The job and trigger of one check: named by its key, every interval from <paramref name="startAt"/>.</summary>
    internal static (IJobDetail Job, ITrigger Trigger) Build(Checks.ICheck check, DateTimeOffset startAt)
    {
        var key = CheckRunner.Key(check);
        var job = JobBuilder.Create<CheckJob>().WithIdentity(key, CheckJob.Group).Build();
        var trigger = TriggerBuilder.Create()
            .ForJob(job)
            .WithIdentity(key, CheckJob.Group)
            .StartAt(startAt)
            .WithSimpleSchedule(schedule => schedule
                .WithInterval(check.Interval)
                .RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
        return (job, trigger);
    }
}

/// <summary>What the scheduler runs: the checks, and whether their first runs are spread over one interval.</summary>
internal sealed record Schedule(IReadOnlyList<ICheck> Checks, bool SpreadStart);
