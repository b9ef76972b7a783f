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
        var verdictTargets = options.Targets.Where(t => t.Health.Enabled && t.Canary.Enabled).Select(t => t.Name).ToList();
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
                    target.Canary.Enabled ? target.Canary.DegradedWer : null, verdicts: target.Health.Enabled && target.Canary.Enabled);
            }

            metrics.RegisterTargetLabels(options.Targets.ToDictionary(t => t.Name,
                t => (IReadOnlyDictionary<string, string>)t.Labels, StringComparer.Ordinal));
            return metrics;
        });
        services.AddSingleton<ResultStore>();
        services.AddSingleton(sp => new VerdictEvaluator(sp.GetRequiredService<ResultStore>(), sp.GetRequiredService<SyntheticMetrics>(), time, verdictTargets));
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
        });
        services.AddTransient<CheckJob>();
        services.AddQuartzHostedService(q =>
        {
            q.WaitForJobsToComplete = true;
            q.AwaitApplicationStarted = true;
        });
        // After Quartz's hosted service: the scheduler exists (in standby) and starts once the application has.
        services.AddHostedService<CheckScheduler>();
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
