using System.Globalization;

namespace Synthetic.Bench;

/// <summary>
/// Scenario 9: max sustained throughput of both tools against the same nginx /health on this machine. blackbox_exporter in a closed
/// loop (K clients sending /probe back to back, K stepped); the shipped monitor open loop (it is a scheduler: N health checks at an
/// interval, N stepped, a fresh process per step). Max sustained = the best completed probes/s with under 0.1 % failures.
/// Not in the default set (bench/run.sh --only throughput).
/// </summary>
internal static class ThroughputScenario
{
    public const string Title = "9. Max sustained throughput";
    private const string Scenario = "9 throughput";
    private const double MaxFailedFraction = 0.001;

    public static async Task RunAsync(BenchContext context, Nginx nginx, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var (warmup, window) = (options.ThroughputWarmup, options.ThroughputWindow);
        var load = new List<string>();
        string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

        var blackbox = new List<BlackboxStep>();
        string? version = null;
        foreach (var (maxProcs, clients) in new[] { ((int?)null, options.ThroughputClients), (1, options.ThroughputClientsOneProc) })
        {
            if (clients.Count == 0)
            {
                continue;
            }

            var environment = maxProcs is { } procs ? new Dictionary<string, string> { ["GOMAXPROCS"] = procs.ToString(CultureInfo.InvariantCulture) } : null;
            var exporter = await Blackbox.StartAsync(context, maxProcs is null ? "s9-blackbox" : $"s9-blackbox-p{maxProcs}", cancellationToken, environment);
            try
            {
                version ??= await BlackboxVersionAsync(context, exporter, cancellationToken);
                foreach (var k in clients)
                {
                    load.Add(Load());
                    exporter.Child.EnsureRunning();
                    blackbox.Add(await ThroughputMeasure.BlackboxAsync(exporter, nginx, k, maxProcs, warmup, window, cancellationToken));
                }
            }
            finally
            {
                await exporter.Child.DisposeAsync();
            }
        }

        var synthetic = new List<SyntheticStep>();
        string? stopped = null;
        foreach (var n in options.ThroughputChecks)
        {
            load.Add(Load());
            try
            {
                synthetic.Add(await ThroughputMeasure.SyntheticAsync(context, nginx, n, options.ThroughputInterval, warmup, window, cancellationToken));
            }
            catch (BenchException ex)
            {
                // A monitor that cannot start or dies at this size: say so, and do not try larger ones.
                stopped = $"{n:N0} checks: {ex.Message.Split('\n')[0]}";
                BenchLog.Info($"s9: stopped stepping up at {stopped}");
                break;
            }

            if (synthetic[^1].Collapsed && n != options.ThroughputChecks[^1])
            {
                stopped = $"{n:N0} checks: {synthetic[^1].Note}; larger steps not run";
                BenchLog.Info($"s9: stopped stepping up at {stopped}");
                break;
            }
        }

        Describe(context, nginx, version ?? "not run", blackbox, synthetic, stopped, load);
    }

    private static void Describe(BenchContext context, Nginx nginx, string version, List<BlackboxStep> blackbox, List<SyntheticStep> synthetic, string? stopped, List<string> load)
    {
        var options = context.Options;
        var section = context.Report.Section(Title);
        var cores = Environment.ProcessorCount;
        section.Add($"- Both tools probe the same URL, `{nginx.Health}` (the bench's nginx, `return 200 '{{\"status\":\"healthy\"}}'`, one worker process), " +
                    $"everything on 127.0.0.1; nginx and the driver share the machine's {cores} cores with the tool measured. Warm-up " +
                    $"{options.ThroughputWarmup.TotalSeconds:F0} s, then a {options.ThroughputWindow.TotalSeconds:F0} s window per step; CPU is utime + stime " +
                    $"from /proc/PID/stat over the window, in % of one core ({cores * 100} % is the whole machine). Load average (1 min) before the steps: " +
                    $"{string.Join(", ", load)}.");
        section.Add($"- **blackbox_exporter** ({version}), closed loop: K clients in the driver, each sending " +
                    "`GET /probe?module=http_2xx&target=<nginx /health>` and the next one as soon as the answer is in (keep-alive to the exporter, one connection " +
                    "per client); completed = answers in the window, failures = answers without `probe_success 1` or errors. Tuning: the Debian package's " +
                    $"binary, the bench's module (`http` prober, IPv4, body checked by `fail_if_body_not_matches_regexp`, timeout 5 s), `GOMAXPROCS` unset " +
                    $"(Go's default: one per core, {cores} here){(options.ThroughputClientsOneProc.Count > 0 ? ", and again with `GOMAXPROCS=1`" : string.Empty)}. " +
                    "It builds a new HTTP client, so a new connection, per probe. Latency = the /probe round trip seen by the driver.");
        section.Add(string.Empty);
        section.Add("| step | completed probes/s | failures | blackbox CPU | ms / probe | nginx CPU | driver CPU | /probe latency p50 / p99 | RSS |");
        section.Add("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var b in blackbox)
        {
            section.Add($"| K = {b.Clients}{(b.MaxProcs is { } p ? $", GOMAXPROCS={p}" : string.Empty)} | {b.PerSecond:F0} | {b.Failed:F0} ({Percent(b.FailedFraction)}) | " +
                        $"{b.CpuPercent:F0} % | {Report.Num(b.MsPerProbe, 3)} | {b.NginxPercent:F0} % | {b.DriverPercent:F0} % | " +
                        $"{Report.Ms(b.LatencyP50, 1)} / {Report.Ms(b.LatencyP99, 1)} | {b.RssMb:F0} MB |");
        }

        section.Add(string.Empty);
        section.Add($"- **Synthetic**, the shipped Release build with its runtimeconfig (workstation GC, gen0 budget cap, tiered PGO off, no thread-pool " +
                    "spinning, inline socket completions), open loop: N health-only checks (no detailed view, no components, no canary) at " +
                    $"{options.ThroughputInterval.TotalSeconds:0.#} s, Timeout {options.ThroughputInterval.TotalSeconds * 0.9:0.##} s, a fresh monitor process per " +
                    "step; a fresh connection per probe (`Connection: close`). Offered = N / interval; completed = `synthetic_probe_runs_total` between the two " +
                    "scrapes at the window's edges, over the time between them; failures = runs with outcome `failure` (reasons from " +
                    "`synthetic_probe_failures_total`); skipped = `synthetic_probe_skipped_total`. Scrape = the second of those scrapes (the third of the " +
                    "process, cold code), to its last byte. Gauges at the window's end: `synthetic_scheduler_saturated`, `_late_checks`, `_runs_in_flight`, " +
                    "`_runs_queued`, `_admission_limit` (– where the build has none). Warm-up: runs, failures and skips from the process start to the window.");
        section.Add(string.Empty);
        section.Add("| step | offered/s | completed/s | failures | skipped | Synthetic CPU | ms / probe | nginx CPU | scrape | RSS (peak) | " +
                    "saturated / late / in flight / queued / admission limit | warm-up: runs (failed, skipped) | start-up |");
        section.Add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|");
        foreach (var s in synthetic)
        {
            var warm = double.IsNaN(s.Warmup.Runs) ? "?" : $"{s.Warmup.Runs:F0} ({s.Warmup.Failed:F0}, {s.Warmup.Skipped:F0})";
            section.Add(s.Collapsed
                ? $"| {s.Checks:N0} × {s.Interval.TotalSeconds:0.#} s | {s.Offered:F0} | **collapsed** | ? | ? | {s.CpuPercent:F0} % | ? | {s.NginxPercent:F0} % | " +
                  $"no answer in {ThroughputMeasure.ScrapeTimeout.TotalSeconds:F0} s | {s.RssMb:F0} MB ({s.PeakRssMb:F0}) | ? | {warm} | {s.StartupSeconds:F1} s |"
                : $"| {s.Checks:N0} × {s.Interval.TotalSeconds:0.#} s | {s.Offered:F0} | {s.PerSecond:F0} | {s.Window.Failed:F0} ({Percent(s.FailedFraction)}) | " +
                  $"{s.Window.Skipped:F0} | {s.CpuPercent:F0} % | {Report.Num(s.MsPerProbe, 3)} | {s.NginxPercent:F0} % | {s.ScrapeMs:F0} ms ({s.ScrapeMiB:F1} MiB) | " +
                  $"{s.RssMb:F0} MB ({s.PeakRssMb:F0}) | {string.Join(" / ", ThroughputMeasure.GaugeNames.Select(n => s.Gauges[n]))} | {warm} | {s.StartupSeconds:F1} s |");
        }

        section.Add(string.Empty);
        if (stopped is not null)
        {
            section.Add($"- Stopped stepping up at {stopped}");
        }

        foreach (var s in synthetic.Where(s => s.Note is not null && (!s.Collapsed || stopped is null)))
        {
            section.Add($"- {s.Checks:N0} checks: {s.Note}.");
        }

        foreach (var s in synthetic.Where(s => s.Warmup.Failed + s.Warmup.Skipped >= MaxFailedFraction * s.Warmup.Runs))
        {
            section.Add($"- Cold start at {s.Checks:N0} checks: {s.Warmup.Failed:N0} failed and {s.Warmup.Skipped:N0} skipped of {s.Warmup.Runs:N0} runs " +
                        $"between the process start and the window{(s.Collapsed ? string.Empty : s.FailedFraction < MaxFailedFraction ? "; the window then ran clean" : "; the window did not recover")}.");
        }

        var bestBlackbox = blackbox.Where(b => b.MaxProcs is null && b.FailedFraction < MaxFailedFraction).MaxBy(b => b.PerSecond);
        var bestOne = blackbox.Where(b => b.MaxProcs is not null && b.FailedFraction < MaxFailedFraction).MaxBy(b => b.PerSecond);
        var bestSynthetic = synthetic.Where(s => s.FailedFraction < MaxFailedFraction).MaxBy(s => s.PerSecond);
        // A lower bound when the largest step ran clean and on schedule: the monitor had more to give.
        var atLeast = bestSynthetic is not null && bestSynthetic == synthetic[^1] && bestSynthetic.OnSchedule && stopped is null ? "≥ " : string.Empty;
        var ratio = atLeast + Report.Ratio(bestSynthetic?.PerSecond ?? double.NaN, bestBlackbox?.PerSecond ?? double.NaN);
        if (section[^1].Length > 0)
        {
            section.Add(string.Empty);
        }

        section.Add($"**max sustained: Synthetic {atLeast}{Rate(bestSynthetic?.PerSecond)} at {Cpu(bestSynthetic?.CpuPercent)} CPU vs blackbox " +
                    $"{Rate(bestBlackbox?.PerSecond)} at {Cpu(bestBlackbox?.CpuPercent)} CPU ({ratio} the throughput)** — Synthetic at " +
                    $"{(bestSynthetic is null ? "no clean step" : $"{bestSynthetic.Checks:N0} checks, {Report.Num(bestSynthetic.MsPerProbe, 3)} ms/probe")}, blackbox at " +
                    $"{(bestBlackbox is null ? "no clean step" : $"K = {bestBlackbox.Clients}, {Report.Num(bestBlackbox.MsPerProbe, 3)} ms/probe")}" +
                    (bestOne is null ? "." : $"; blackbox with `GOMAXPROCS=1`: {Rate(bestOne.PerSecond)} at {Cpu(bestOne.CpuPercent)} CPU (K = {bestOne.Clients}).") +
                    " Max sustained = the most completed probes/s in a step with under 0.1 % failures.");
        section.Add(string.Empty);
        foreach (var s in synthetic.Where(s => !s.OnSchedule || !(s.FailedFraction < MaxFailedFraction)))
        {
            section.Add($"- Off schedule at {s.Checks:N0} checks ({s.Offered:F0} runs/s offered): " + Verdict(s) + ".");
        }

        context.Report.Add(new Row(Scenario, "max sustained probes/s with < 0.1 % failures (% of one core)",
            $"{atLeast}{Rate(bestSynthetic?.PerSecond)} ({Cpu(bestSynthetic?.CpuPercent)})", $"{Rate(bestBlackbox?.PerSecond)} ({Cpu(bestBlackbox?.CpuPercent)})",
            ratio, string.Empty, string.Empty));
        context.Report.Add(new Row(Scenario, "CPU ms per probe at max sustained", Report.Num(bestSynthetic?.MsPerProbe ?? double.NaN, 3),
            Report.Num(bestBlackbox?.MsPerProbe ?? double.NaN, 3),
            Report.Ratio(bestSynthetic?.MsPerProbe ?? double.NaN, bestBlackbox?.MsPerProbe ?? double.NaN), string.Empty, string.Empty));
        foreach (var s in synthetic)
        {
            context.Report.Add(new Row(Scenario, $"{s.Checks:N0} checks × {s.Interval.TotalSeconds:0.#} s: completed / offered per s (failed, skipped); scrape",
                s.Collapsed ? $"**collapsed** / {s.Offered:F0}: {s.Note}" : $"{s.PerSecond:F0} / {s.Offered:F0} ({s.Window.Failed:F0}, {s.Window.Skipped:F0}); {s.ScrapeMs:F0} ms",
                "n/a", string.Empty, "sheds load, no timeouts", Report.Met(s.FailedFraction < MaxFailedFraction)));
        }
    }

    /// <summary>What a step past capacity did: shed load (skips, no failures), time out, or stop answering.</summary>
    private static string Verdict(SyntheticStep s) => s.Collapsed
        ? $"**collapsed** ({s.Note}); CPU {s.CpuPercent:F0} %, RSS {s.RssMb:F0} MB (peak {s.PeakRssMb:F0})"
        : $"{s.PerSecond:F0} runs/s completed, {s.Window.Skipped:F0} skipped, {s.Window.Failed:F0} failed{Reasons(s)}: " +
          (s.FailedFraction >= MaxFailedFraction ? "**times out** (failures, not only skips)" : "sheds load (skips counted, no failures)");

    private static string Reasons(SyntheticStep s) => s.FailureReasons.Count == 0
        ? string.Empty
        : " (" + string.Join(", ", s.FailureReasons.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value:F0}")) + ")";

    private static string Percent(double fraction) => double.IsNaN(fraction) ? "n/a" : (fraction * 100).ToString("0.###", CultureInfo.InvariantCulture) + " %";

    private static string Rate(double? perSecond) => perSecond is { } r ? r.ToString("N0", CultureInfo.InvariantCulture) + "/s" : "none";

    private static string Cpu(double? percent) => percent is { } p ? p.ToString("F0", CultureInfo.InvariantCulture) + " %" : "n/a";

    /// <summary>The exporter's version and its Go runtime's, from its own /metrics (<c>blackbox_exporter_build_info</c>, <c>go_info</c>).</summary>
    private static async Task<string> BlackboxVersionAsync(BenchContext context, Blackbox exporter, CancellationToken cancellationToken)
    {
        var metrics = PromText.Parse(await context.Http.GetStringAsync(new Uri(exporter.BaseUrl, "/metrics"), cancellationToken));
        var go = metrics.FirstOrDefault(s => s.Name == "go_info")?.Labels.GetValueOrDefault("version") ?? "go ?";
        var version = metrics.FirstOrDefault(s => s.Name == "blackbox_exporter_build_info")?.Labels.GetValueOrDefault("version") ?? "?";
        return $"{version}, {go}";
    }
}
