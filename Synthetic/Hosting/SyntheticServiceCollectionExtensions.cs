using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using Quartz;
using Synthetic.Metrics;
using Synthetic.Probing;
using Synthetic.Scheduling;
using Synthetic.Verdicts;

namespace Synthetic.Hosting;

internal static class SyntheticServiceCollectionExtensions
{
    /// <summary>Registers the monitor: metrics on its own registry, result store, verdicts, checks and their Quartz schedule.</summary>
    public static IServiceCollection AddSynthetic(this IServiceCollection services, MonitorSetup setup, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var options = setup.Options;
        var targets = options.Targets.Select(t => t.Name).ToList();
        services.AddSingleton(time);
        services.AddSingleton(setup);
        services.AddSingleton(_ =>
        {
            var registry = Prometheus.Metrics.NewCustomRegistry();
            DotNetStats.Register(registry);
            var metrics = new SyntheticMetrics(registry, StatusReport.Version);
            foreach (var target in options.Targets)
            {
                metrics.RegisterTarget(target.Name, target.Canary.Enabled ? target.Canary.MaxWer : null,
                    target.Canary.Enabled ? target.Canary.DegradedWer : null);
            }

            metrics.RegisterTargetLabels(options.Targets.ToDictionary(t => t.Name,
                t => (IReadOnlyDictionary<string, string>)t.Labels, StringComparer.Ordinal));
            return metrics;
        });
        services.AddSingleton<ResultStore>();
        services.AddSingleton(sp => new VerdictEvaluator(sp.GetRequiredService<ResultStore>(), sp.GetRequiredService<SyntheticMetrics>(), time, targets));
        services.AddSingleton<IEnumerable<ICheck>>(setup.Checks);
        services.AddSingleton<CheckRunner>();
        services.AddSingleton<MonitorHealth>();

        var checks = setup.Checks;
        // A unique scheduler name per monitor: several monitors (tests, demo) can share one process.
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(scheduler => scheduler.InstanceName = "synthetic-" + Guid.NewGuid().ToString("N"));
            q.UseTimeProvider(time);
            // Async jobs hold no thread while they wait on the network; allow every check to be in flight.
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = Math.Clamp(checks.Count, 10, 5000));
            q.UseInMemoryStore(store => store.MisfireThreshold = TimeSpan.FromSeconds(5));
            q.AddTriggerListener<MisfireListener>();
            var start = DateTimeOffset.UtcNow.AddMilliseconds(200);
            foreach (var group in checks.GroupBy(c => c.Interval))
            {
                var inGroup = group.ToList();
                for (var i = 0; i < inGroup.Count; i++)
                {
                    var check = inGroup[i];
                    var key = CheckRunner.Key(check);
                    var jobKey = new JobKey(key, "synthetic");
                    // Spread first runs evenly over one interval: 1,000 checks never fire in the same millisecond.
                    var offset = options.SpreadStart ? ScheduleSpread.Offset(check.Interval, i, inGroup.Count) : TimeSpan.Zero;
                    q.AddJob<CheckJob>(job => job.WithIdentity(jobKey).UsingJobData(CheckJob.CheckKey, key));
                    q.AddTrigger(trigger => trigger
                        .ForJob(jobKey)
                        .WithIdentity(key, "synthetic")
                        .UsingJobData(CheckJob.CheckKey, key)
                        .StartAt(start + offset)
                        .WithSimpleSchedule(schedule => schedule
                            .WithInterval(check.Interval)
                            .RepeatForever()
                            .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
                }
            }
        });
        services.AddQuartzHostedService(q =>
        {
            q.WaitForJobsToComplete = true;
            q.AwaitApplicationStarted = true;
        });
        return services;
    }

    /// <summary>/metrics (Prometheus exposition), /status (JSON) and /healthz (the monitor itself).</summary>
    public static IEndpointRouteBuilder MapSynthetic(this IEndpointRouteBuilder endpoints)
    {
        var metrics = endpoints.ServiceProvider.GetRequiredService<SyntheticMetrics>();
        var verdicts = endpoints.ServiceProvider.GetRequiredService<VerdictEvaluator>();
        // Verdicts go stale with time, not only with results: refresh them on every scrape.
        metrics.Registry.AddBeforeCollectCallback(verdicts.RefreshAll);
        endpoints.MapMetrics("/metrics", metrics.Registry);
        endpoints.MapGet("/status", (ResultStore store, MonitorSetup setup, TimeProvider time) =>
            Results.Json(StatusReport.Build(store, verdicts, setup.Options.Targets.Select(t => t.Name), time.GetUtcNow())));
        endpoints.MapGet("/healthz", async (MonitorHealth health, CancellationToken token) =>
        {
            var (healthy, detail) = await health.EvaluateAsync(token);
            return Results.Json(new { status = healthy ? "healthy" : "unhealthy", detail }, statusCode: healthy ? 200 : 503);
        });
        endpoints.MapGet("/", () => Results.Text("Synthetic: /metrics, /status, /healthz\n"));
        return endpoints;
    }
}
