using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using Synthetic.Hosting;
using Synthetic.Scheduling;
using Synthetic.Results;

namespace Synthetic.Bench;

/// <summary>
/// Diagnostic helper process (<c>--experiments</c>): the real monitor, built by <c>SyntheticApp.CreateMonitor</c>
/// from the same configuration, with one part swapped, to measure what that part costs:
/// <list type="bullet">
/// <item><c>--scheduler quartz</c>: unchanged (control: should match the shipped exe).</item>
/// <item><c>--scheduler timers</c>: Quartz removed; each check fires from its own <c>Task.Delay</c> loop on the same
/// spread schedule and calls the same <c>CheckRunner.RunAsync</c> (skip logic, metrics, store, verdicts unchanged).</item>
/// <item><c>--quartz-batch N --quartz-window-ms W</c>: Quartz acquiring and firing up to N triggers per scheduler
/// wake-up, up to W ms ahead of time.</item>
/// </list>
/// </summary>
internal static class MonitorVariant
{
    public static async Task<int> RunAsync(string config, string scheduler, int? batch, int windowMs)
    {

        var (app, errors) = SyntheticApp.CreateMonitor([], overrides: null, time: null, configFile: config, configure: builder =>
        {
            if (scheduler == "timers")
            {
                var quartz = builder.Services.Where(d => d.ServiceType == typeof(IHostedService) &&
                    ((d.ImplementationType?.FullName?.StartsWith("Quartz", StringComparison.Ordinal) ?? false) ||
                     (d.ImplementationFactory?.Method.ReturnType.FullName?.StartsWith("Quartz", StringComparison.Ordinal) ?? false) ||
                     (d.ImplementationFactory?.Method.DeclaringType?.FullName?.StartsWith("Quartz", StringComparison.Ordinal) ?? false))).ToList();
                foreach (var descriptor in quartz)
                {
                    builder.Services.Remove(descriptor);
                }

                Console.WriteLine($"variant: removed {quartz.Count} Quartz hosted service(s); timer loops instead");
                builder.Services.AddHostedService<TimerLoops>();
            }

            if (batch is { } max)
            {
                builder.Services.Configure<QuartzSchedulerOptions>(o =>
                {
                    o.MaxBatchSize = max;
                    o.BatchTriggerAcquisitionFireAheadTimeWindow = TimeSpan.FromMilliseconds(windowMs);
                });
                Console.WriteLine($"variant: Quartz batch {max}, fire-ahead window {windowMs} ms");
            }
        });
        if (app is null)
        {
            Console.Error.WriteLine(string.Join('\n', errors));
            return 2;
        }

        await using (app)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(15));
            using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                stop.Cancel();
            });
            await app.StartAsync(stop.Token);
            Console.WriteLine("variant monitor started");
            try
            {
                await app.WaitForShutdownAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return 0;
    }

    /// <summary>One Task.Delay loop per check, first runs spread over one interval like the monitor's own schedule.</summary>
    private sealed class TimerLoops(CheckRunner runner, IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var start = DateTimeOffset.UtcNow.AddMilliseconds(200);
            var loops = new List<Task>();
            foreach (var group in runner.Checks.GroupBy(c => c.Interval))
            {
                var checks = group.ToList();
                for (var i = 0; i < checks.Count; i++)
                {
                    var check = checks[i];
                    var first = start + TimeSpan.FromTicks(check.Interval.Ticks * i / checks.Count);
                    loops.Add(LoopAsync(CheckRunner.Key(check), first, check.Interval, stoppingToken));
                }
            }

            return Task.WhenAll(loops);
        }

        private async Task LoopAsync(string key, DateTimeOffset first, TimeSpan interval, CancellationToken stoppingToken)
        {
            var next = first;
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = next - DateTimeOffset.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, stoppingToken);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }

                _ = runner.RunAsync(key, next, lifetime.ApplicationStopping);
                next += interval;
            }
        }
    }
}
