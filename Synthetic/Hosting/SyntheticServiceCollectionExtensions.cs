using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using Quartz;
using Synthetic.Audio;
using Synthetic.Checks;
using Synthetic.Checks.Transcription;
using Synthetic.Cluster;
using Synthetic.Configuration;
using Synthetic.Metrics;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Scheduling;
using Synthetic.Verdicts;
using Synthetic.Web;

namespace Synthetic.Hosting;

internal static class SyntheticServiceCollectionExtensions
{
    private const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>How early a check may start so it shares a wake-up of the scheduler with a check due just before it.</summary>
    internal static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(10);

    /// <summary>Registers the monitor: metrics on its own registry, result store, verdicts, checks and their Quartz schedule.</summary>
    public static IServiceCollection AddSynthetic(this IServiceCollection services, MonitorSetup setup, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var plan = setup.Plan;
        var verdictTargets = plan.Targets.Where(t => t.HasVerdicts).Select(t => t.Name).ToList();
        services.AddSingleton(time);
        services.AddSingleton(setup);
        services.AddSingleton(plan);
        services.AddSingleton(_ =>
        {
            var registry = Prometheus.Metrics.NewCustomRegistry();
            DotNetStats.Register(registry);
            var metrics = new SyntheticMetrics(registry, StatusReport.Version);
            foreach (var target in plan.Targets)
            {
                metrics.RegisterTarget(target.Name, CanaryWerThresholds(target.Canary, setup.Clips), verdicts: target.HasVerdicts);
                if (target.Canary is { Baseline: not null } drifting)
                {
                    metrics.RegisterDrift(target.Name, drifting.Samples, drifting.MaxDrift);
                }

                if (target.Streaming is not null)
                {
                    metrics.RegisterStreaming(target.Name);
                }
            }

            metrics.RegisterTargetLabels(plan.Targets.ToDictionary(t => t.Name, t => t.Labels, StringComparer.Ordinal));
            return metrics;
        });
        // In a cluster the store is shared through PostgreSQL and the schema is migrated before Quartz starts.
        var cluster = plan.Cluster.Enabled ? services.AddSyntheticCluster(plan.Cluster, setup.Checks, plan.SpreadStart) : null;
        if (cluster is null)
        {
            services.AddSingleton<IResultStore, InMemoryResultStore>();
        }

        services.AddSingleton(sp => new VerdictEvaluator(sp.GetRequiredService<IResultStore>(), time, verdictTargets));
        services.AddSingleton<VerdictPublisher>();
        // Made by a factory, so the container disposes the checks (their HTTP handlers) when the host stops.
        services.AddSingleton(_ => new CheckSet(setup.Checks));
        services.AddSingleton<IEnumerable<ICheck>>(sp => sp.GetRequiredService<CheckSet>().All);
        services.AddSingleton(new Schedule(setup.Checks, plan.SpreadStart));
        services.AddSingleton<CheckRunner>();
        services.AddSingleton(sp => new SchedulerMetrics(sp.GetRequiredService<SyntheticMetrics>().Registry));
        services.AddSingleton<SchedulerSaturation>();
        services.AddSingleton<MonitorHealth>();

        var checks = setup.Checks;
        var concurrency = Math.Clamp(checks.Count, 10, 5000);
        var pool = new InlineJobPool(concurrency);
        // Admission control: at most as many runs in flight as the scheduler's pool, fewer while the monitor is short of CPU.
        services.AddSingleton(_ => AdmissionGate.ForMonitor(concurrency, time));
        // A unique scheduler name per monitor: several monitors (tests, demo) can share one process.
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(scheduler =>
            {
                // Cluster nodes share the scheduler name (their rows in the database) and differ by instance id.
                scheduler.InstanceName = cluster is null ? "synthetic-" + Guid.NewGuid().ToString("N") : Synthetic.Cluster.ClusterNode.SchedulerName;
                if (cluster is not null)
                {
                    scheduler.InstanceId = cluster.Id;
                }
            });
            // On the system clock Quartz sleeps by a clock that steps with the runtime's timers (one wake-up per fire time).
            q.UseTimeProvider(time == TimeProvider.System ? new SchedulerClock() : time);
            // Async jobs hold no thread while they wait on the network; allow every check to be in flight. Jobs start on the
            // scheduler's loop instead of a hop through the thread pool (InlineJobPool).
            q.UseThreadPool(pool);
            if (cluster is null)
            {
                q.UseInMemoryStore(store => store.MisfireThreshold = TimeSpan.FromSeconds(5));
            }
            else
            {
                q.UseClusterStore(cluster);
            }

            q.AddTriggerListener<MisfireListener>();
        });
        // What Quartz checks MaxBatchSize against: the configured size (its built-in pools' option), not the pool's own.
        services.Configure<ThreadPoolOptions>(options => options.MaxConcurrency = concurrency);
        // The pool follows the option when something configures it after this (a test constraining the monitor).
        services.PostConfigure<ThreadPoolOptions>(options => pool.PoolSize = options.MaxConcurrency);
        services.Configure<QuartzSchedulerOptions>(scheduler =>
        {
            // Fire the checks due within the next 10 ms together, not each on its own wake-up of the scheduler:
            // CPU per health probe 1.46 -> 0.71 ms at 200 probes/s (bench scenario 1), for starts up to 10 ms early.
            // A cluster node batches over a wider window: every batch is a transaction on the cluster's trigger lock.
            scheduler.MaxBatchSize = Math.Min(100, concurrency);
            scheduler.BatchTriggerAcquisitionFireAheadTimeWindow = cluster is null ? BatchWindow : ClusterServiceCollectionExtensions.BatchWindow;
        });
        services.AddTransient<CheckJob>();
        // Before Quartz's hosted service, so it stops after it: the runs the gate started after their jobs had ended.
        services.AddHostedService<RunDrain>();
        services.AddQuartzHostedService(q =>
        {
            q.WaitForJobsToComplete = true;
            q.AwaitApplicationStarted = true;
        });
        // After Quartz's hosted service: the scheduler exists (in standby) and starts once the application has.
        if (cluster is null)
        {
            services.AddHostedService<CheckScheduler>();
        }
        else
        {
            services.AddHostedService<ClusterScheduleReconciler>();
        }

        return services;
    }

    /// <summary>/metrics (Prometheus exposition), /status (JSON), /healthz (the monitor itself) and / (the status page).</summary>
    public static IEndpointRouteBuilder MapSynthetic(this IEndpointRouteBuilder endpoints)
    {
        var metrics = endpoints.ServiceProvider.GetRequiredService<SyntheticMetrics>();
        var verdicts = endpoints.ServiceProvider.GetRequiredService<VerdictEvaluator>();
        // Verdicts go stale with time, not only with results: refresh them on every scrape.
        metrics.Registry.AddBeforeCollectCallback(endpoints.ServiceProvider.GetRequiredService<VerdictPublisher>().PublishAll);
        // Resolved on first use, not here: the runner it reads dates "not fired yet" from its creation, which should
        // be when the scheduler starts, not when the endpoints are mapped (seconds earlier at 10,000 checks).
        var saturation = new Lazy<SchedulerSaturation>(endpoints.ServiceProvider.GetRequiredService<SchedulerSaturation>);
        metrics.Registry.AddBeforeCollectCallback(() => saturation.Value.Publish());
        endpoints.MapGet("/metrics", async (HttpContext context) =>
        {
            // Always the text format 0.0.4 (Prometheus's fallback): one format for both halves of the exposition.
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.ExportAsync(context.Response.Body, context.RequestAborted);
        });
        var targets = endpoints.ServiceProvider.GetRequiredService<MonitorPlan>().Targets;
        var names = targets.Select(t => t.Name).ToArray();
        var insecure = targets.Where(t => t.Tls.InsecureSkipVerify).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        // Already built for the verdicts; the clock is the host's.
        var store = endpoints.ServiceProvider.GetRequiredService<IResultStore>();
        var time = endpoints.ServiceProvider.GetRequiredService<TimeProvider>();
        // Handlers of the HttpContext alone (RequestDelegate), like /metrics: a handler with parameters to bind is compiled
        // by ASP.NET's RequestDelegateFactory from expression trees, which loaded and ran System.Linq.Expressions and
        // endpoint validation for two endpoints (RSS, issue 15).
        endpoints.MapGet("/status", (HttpContext context) =>
        {
            context.Response.ContentType = JsonContentType;
            return StatusReport.WriteAsync(context.Response.BodyWriter,
                StatusReport.Build(store, verdicts, names, time.GetUtcNow(), insecure, saturation.Value.Evaluate()), context.RequestAborted);
        });
        endpoints.MapGet("/healthz", async (HttpContext context) =>
        {
            var (healthy, status, detail) = await context.RequestServices.GetRequiredService<MonitorHealth>().EvaluateAsync(context.RequestAborted);
            context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = JsonContentType;
            await context.Response.Body.WriteAsync(
                JsonSerializer.SerializeToUtf8Bytes(new HealthzAnswer(status, detail), StatusJsonContext.Default.HealthzAnswer), context.RequestAborted);
        });
        endpoints.MapStatusPage();
        return endpoints;
    }

    /// <summary>Per sample of the target's canary, the WER thresholds in force (config over manifest); null without a canary.</summary>
    private static Dictionary<string, (double Max, double Degraded)>? CanaryWerThresholds(CanaryPlan? canary, ClipLibrary? clips)
    {
        if (canary is null || clips is null)
        {
            return null;
        }

        return canary.Samples.Where(clips.Contains).Distinct(StringComparer.Ordinal)
            .Select(id => (Id: id, Thresholds: SampleScorer.ThresholdsFor(canary.Wer, clips[id])))
            .ToDictionary(s => s.Id, s => (s.Thresholds.Max, s.Thresholds.Degraded), StringComparer.Ordinal);
    }
}
