namespace Synthetic.Bench;

/// <summary>
/// Scenario 1: CPU per health probe across rates (13, 50, 200, 1,000 probes/s): the monitor with N health checks at an
/// interval, versus blackbox_exporter driven at the same rate by the driver, at Go's default GOMAXPROCS and at 1; both
/// against the same nginx /health with a fresh connection per probe. CPU = utime + stime of the tool's process over the
/// window after warm-up; context switches summed over its threads; for Synthetic also thread-pool work items.
/// </summary>
internal static class CpuScenario
{
    private const string Title = "1. CPU per health probe";

    private sealed record RateResult(CpuRate Rate, ToolResult Synthetic, ToolResult Blackbox, ToolResult BlackboxOne, CpuMeasure.Baseline Bare);

    public static async Task RunAsync(BenchContext context, Nginx nginx, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var results = new List<RateResult>();
        foreach (var rate in options.CpuRates)
        {
            BenchLog.Info($"--- scenario 1 at {rate.Label} ---");
            var synthetic = await CpuMeasure.SyntheticAsync(context, nginx, rate, cancellationToken);
            var blackbox = await CpuMeasure.BlackboxAsync(context, nginx, rate, maxProcs: null, cancellationToken);
            var blackboxOne = await CpuMeasure.BlackboxAsync(context, nginx, rate, maxProcs: 1, cancellationToken);
            var bare = await CpuMeasure.BaselineAsync(context, nginx.Health, "health", rate.PerSecond, options.CpuWarmupFor(rate),
                options.CpuWindowFor(rate) / 2, cancellationToken);
            results.Add(new RateResult(rate, synthetic, blackbox, blackboxOne, bare));
            AddRows(context, results[^1]);
        }

        Describe(context, nginx, results);
        if (options.Experiments)
        {
            await ExperimentsAsync(context, nginx, cancellationToken);
        }
    }

    /// <summary>The issue's targets: at most blackbox with one Go thread at low rates, at most half of blackbox's default from 200/s.</summary>
    private static (string Target, bool? Met) Target(RateResult r) => r.Rate.PerSecond switch
    {
        < 20 => ("Synthetic ≤ blackbox GOMAXPROCS=1", r.Synthetic.MsPerProbe <= r.BlackboxOne.MsPerProbe),
        >= 200 => ("Synthetic ≤ 0.5 × blackbox", r.Synthetic.MsPerProbe <= 0.5 * r.Blackbox.MsPerProbe),
        _ => ("Synthetic ≤ blackbox", r.Synthetic.MsPerProbe <= r.Blackbox.MsPerProbe),
    };

    private static void AddRows(BenchContext context, RateResult r)
    {
        var (target, met) = Target(r);
        context.Report.Add(new Row("1 CPU / health probe", $"CPU ms per probe at {r.Rate.Label}", Report.Num(r.Synthetic.MsPerProbe, 3),
            $"{Report.Num(r.Blackbox.MsPerProbe, 3)} (GOMAXPROCS=1: {Report.Num(r.BlackboxOne.MsPerProbe, 3)})",
            $"{Report.Ratio(r.Synthetic.MsPerProbe, r.Blackbox.MsPerProbe)} ({Report.Ratio(r.Synthetic.MsPerProbe, r.BlackboxOne.MsPerProbe)})", target,
            Report.Met(met)));
        context.Report.Add(new Row("1 CPU / health probe", $"context switches per probe at {r.Rate.Label}", Report.Num(r.Synthetic.SwitchesPerProbe, 1),
            $"{Report.Num(r.Blackbox.SwitchesPerProbe, 1)} (GOMAXPROCS=1: {Report.Num(r.BlackboxOne.SwitchesPerProbe, 1)})",
            Report.Ratio(r.Synthetic.SwitchesPerProbe, r.Blackbox.SwitchesPerProbe), string.Empty, string.Empty));
    }

    private static void Describe(BenchContext context, Nginx nginx, List<RateResult> results)
    {
        var options = context.Options;
        var section = context.Report.Section(Title);
        section.Add("| probes/s | Synthetic ms/probe | blackbox | blackbox GOMAXPROCS=1 | ÷ blackbox | ÷ blackbox =1 | bare HttpClient | " +
                    "Synthetic work items/probe | bare work items | context switches/probe: Synthetic / blackbox / =1 / bare | " +
                    "% of a core: Synthetic / blackbox / =1 | RSS: Synthetic / blackbox | probes (failed, skipped or dropped) |");
        section.Add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var (s, b, one, bare) = (r.Synthetic, r.Blackbox, r.BlackboxOne, r.Bare);
            section.Add($"| {r.Rate.Label} | **{Report.Num(s.MsPerProbe, 3)}** | {Report.Num(b.MsPerProbe, 3)} | {Report.Num(one.MsPerProbe, 3)} | " +
                        $"{Report.Ratio(s.MsPerProbe, b.MsPerProbe)} | {Report.Ratio(s.MsPerProbe, one.MsPerProbe)} | {Report.Num(bare.MsPerRequest, 3)} | " +
                        $"{Report.Num(s.WorkItemsPerProbe, 2)} | {Report.Num(bare.WorkItemsPerRequest, 2)} | " +
                        $"{Report.Num(s.SwitchesPerProbe, 1)} / {Report.Num(b.SwitchesPerProbe, 1)} / {Report.Num(one.SwitchesPerProbe, 1)} / {Report.Num(bare.SwitchesPerRequest, 1)} | " +
                        $"{Report.Num(s.Percent, 1)} / {Report.Num(b.Percent, 1)} / {Report.Num(one.Percent, 1)} | {Report.Num(s.RssMb, 0)} / {Report.Num(b.RssMb, 0)} MB | " +
                        $"{s.Probes:F0} ({s.Failed:F0}, {s.Skipped:F0}) / {b.Probes:F0} ({b.Failed:F0}, {b.Skipped:F0}) / {one.Probes:F0} ({one.Failed:F0}, {one.Skipped:F0}) |");
        }

        section.Add(string.Empty);
        section.Add($"- Both tools probe `{nginx.Health}` (nginx, `return 200 '{{\"status\":\"healthy\"}}'`), one new TCP connection per probe " +
                    "(Synthetic sends `Connection: close`; blackbox_exporter builds a new HTTP client per probe). " +
                    "Synthetic checks the parsed JSON `status`; blackbox's module checks the body with `fail_if_body_not_matches_regexp`.");
        section.Add("- Synthetic: the shipped exe with N targets of one health check each at the interval of the row, Timeout 900 ms, Detailed false, " +
                    "no components, no canary; warm-up of at least one interval + 3 s, then the window measured (60 s below 100 probes/s, 30 s above; " +
                    "15 s with --quick); probes from `synthetic_probe_runs_total`. Work items (`ThreadPool.CompletedWorkItemCount`) and allocations " +
                    "are read inside the exe by the bench's startup hook (DOTNET_STARTUP_HOOKS, asked by SIGUSR1 at the window edges), outside the CPU samples.");
        section.Add("- blackbox_exporter: the driver sends `GET /probe?module=http_2xx&target=…` at the rate (open loop, keep-alive to the exporter), " +
                    "same warm-up and window; probes = answers received in the window. Its CPU includes serving those /probe requests (that is how " +
                    "Prometheus drives it). `GOMAXPROCS=1`: the same exporter with one thread running Go code at a time (Go's default is one per core).");
        section.Add("- Bare .NET `HttpClient`: GET + JSON parse with `Connection: close` at the same rate in its own process (no scheduler, no metrics; " +
                    "its pacer's own Task.Run and timer per request included), half the window; for scale, not a contender.");
        section.Add("- Context switches: voluntary + involuntary, summed over the process's threads (/proc/PID/task/*/status) over the window; threads that " +
                    "exit in the window take theirs with them. The driver log (`s1-…` lines) has them per thread name.");
    }

    /// <summary>The same load on variants of the monitor, to measure what the scheduler and the thread pool's spinning cost.</summary>
    private static async Task ExperimentsAsync(BenchContext context, Nginx nginx, CancellationToken cancellationToken)
    {
        var rate = new CpuRate(context.Options.CpuChecks, TimeSpan.FromSeconds(1));
        // Variants of the monitor run under the shipped exe's runtimeconfig (MonitorProcess); environment variables
        // switch one runtime setting back to the runtime's default.
        var variants = new (string Name, string Description, IReadOnlyDictionary<string, string>? Environment, IReadOnlyList<string>? Variant)[]
        {
            ("x-control", "`SyntheticApp.CreateMonitor` in the driver's helper, unchanged (control)", null, ["--scheduler", "quartz"]),
            ("x-timers", "Quartz replaced by one `Task.Delay` loop per check (same CheckRunner)", null, ["--scheduler", "timers"]),
            ("x-nobatch", "Quartz firing each trigger on its own wake-up (`MaxBatchSize` 1, no fire-ahead window: Quartz's in-memory default)", null,
                ["--quartz-batch", "1", "--quartz-window-ms", "0"]),
            ("x-inline", "shipped exe with socket completions dispatched to the thread pool (`DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0`, the default)",
                new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "0" }, null),
            ("x-pgo", "shipped exe with tiered PGO on (`DOTNET_TieredPGO=1`, the runtime's default)", new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "1" }, null),
            ("x-spin", "shipped exe with thread-pool spin-waiting on (`DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=70`, the default)",
                new Dictionary<string, string> { ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "70" }, null),
        };
        var window = context.Options.CpuWindow / 2;
        var shipped = await CpuMeasure.SyntheticAsync(context, nginx, rate, cancellationToken, "x-shipped", window);
        var section = context.Report.Section(Title);
        section.Add(string.Empty);
        section.Add($"Experiments (`--experiments`): {rate.Label} on variants of the monitor, {window.TotalSeconds:F0} s windows, to locate the cost " +
                    "(helper verb `monitor-variant` of the driver):");
        section.Add(string.Empty);
        section.Add("| variant | CPU ms / probe | vs shipped | work items / probe | context switches / probe | skipped | failed |");
        section.Add("|---|---:|---:|---:|---:|---:|---:|");
        section.Add($"| shipped exe | {Report.Num(shipped.MsPerProbe, 3)} | 1.00× | {Report.Num(shipped.WorkItemsPerProbe, 2)} | " +
                    $"{Report.Num(shipped.SwitchesPerProbe, 1)} | {shipped.Skipped:F0} | {shipped.Failed:F0} |");
        foreach (var (name, description, environment, variant) in variants)
        {
            var result = await CpuMeasure.SyntheticAsync(context, nginx, rate, cancellationToken, name, window, environment, variant);
            section.Add($"| {description} | {Report.Num(result.MsPerProbe, 3)} | {Report.Ratio(result.MsPerProbe, shipped.MsPerProbe)} | " +
                        $"{Report.Num(result.WorkItemsPerProbe, 2)} | {Report.Num(result.SwitchesPerProbe, 1)} | {result.Skipped:F0} | {result.Failed:F0} |");
        }
    }
}
