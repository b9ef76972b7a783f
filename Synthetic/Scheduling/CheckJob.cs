using Microsoft.Extensions.Hosting;
using Quartz;

namespace Synthetic.Scheduling;

/// <summary>
/// The Quartz job of one target × check. The job's and the trigger's names are the check's key
/// (<see cref="CheckRunner.Key"/>), so no job data map is needed: at 2,000 checks those maps cost ~4 MB.
/// </summary>
internal sealed class CheckJob(CheckRunner runner, IHostApplicationLifetime lifetime) : IJob
{
    public const string Group = "synthetic";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        // A run the admission gate holds back waits there, not here (CheckRunner.FireAsync): the job ends at once.
        await runner.FireAsync(context.JobDetail.Key.Name, context.ScheduledFireTimeUtc, linked.Token);
    }
}
