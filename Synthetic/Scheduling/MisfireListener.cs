using Quartz;

namespace Synthetic.Scheduling;

/// <summary>Counts triggers Quartz could not fire on time (misfires, overlaps) as skipped runs.</summary>
internal sealed class MisfireListener(CheckRunner runner) : ITriggerListener
{
    public string Name => "synthetic-misfires";

    public ValueTask TriggerFired(ITrigger trigger, IJobExecutionContext context, CancellationToken cancellationToken = default) => default;

    public ValueTask<bool> VetoJobExecution(ITrigger trigger, IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(false);

    public ValueTask TriggerMisfired(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default) => Count(trigger);

    public ValueTask TriggerSkipped(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default) => Count(trigger);

    public ValueTask TriggerComplete(ITrigger trigger, IJobExecutionContext context, SchedulerInstruction triggerInstructionCode,
        CancellationToken cancellationToken = default) => default;

    public ValueTask TriggerRetriesExhausted(ITrigger trigger, IJobExecutionContext context, JobExecutionException exception,
        CancellationToken cancellationToken = default) => default;

    private ValueTask Count(ITrigger trigger)
    {
        runner.Misfired(trigger.JobKey.Name);
        return default;
    }
}
