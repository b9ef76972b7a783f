using Microsoft.Extensions.Hosting;
using Quartz;

namespace Synthetic.Scheduling;

/// <summary>The Quartz job of one target × check; the check to run is in the job data.</summary>
internal sealed class CheckJob(CheckRunner runner, IHostApplicationLifetime lifetime) : IJob
{
    public const string CheckKey = "check";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        await runner.RunAsync(context.MergedJobDataMap.GetString(CheckKey)!, context.ScheduledFireTimeUtc, linked.Token);
    }
}
