using Microsoft.Extensions.Hosting;

namespace Synthetic.Scheduling;

/// <summary>
/// Waits, as the host stops, for the runs the admission gate started after their Quartz jobs had ended
/// (<see cref="DetachedRuns"/>): registered before Quartz's hosted service, so it stops after Quartz has waited for its
/// jobs, and before the checks (their HTTP handlers) are disposed. The stopping token has cancelled those runs by then,
/// so this is a short wait; it gives up with the host's shutdown timeout.
/// </summary>
internal sealed class RunDrain(CheckRunner runner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await runner.Detached.DrainAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout: it stops without them, as it would without a Quartz job that overran.
        }
    }
}
