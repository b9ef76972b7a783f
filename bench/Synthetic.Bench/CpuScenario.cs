using System.Globalization;
using System.Text.Json;

namespace Synthetic.Bench;

/// <summary>
/// Scenario 1: CPU per health probe. N health checks at a 1 s interval in the monitor, versus blackbox_exporter
/// driven at the same rate by the driver; both against the same nginx /health with a fresh connection per
/// probe. CPU = utime + stime of the tool's process over the window after warm-up.
/// </summary>
internal static class CpuScenario
{
    private const string Title = "1. CPU per health probe";

    public static async Task RunAsync(BenchContext context, Nginx nginx, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var rate = (double)options.CpuChecks;
        var section = context.Report.Section(Title);

        var synthetic = await MeasureSyntheticAsync(context, nginx, cancellationToken);
        var blackbox = await MeasureBlackboxAsync(context, nginx, rate, cancellationToken);
        var baseline = await MeasureBaselineAsync(context, nginx.Health, "health", rate, cancellationToken);

        var label = $"{options.CpuChecks} checks × 1 s, {options.CpuWindow.TotalSeconds:F0} s window";
        context.Report.Add(new Row("1 CPU / health probe", $"CPU ms per probe ({label})", Report.Num(synthetic.MsPerProbe, 3),
            Report.Num(blackbox.MsPerProbe, 3), Report.Ratio(synthetic.MsPerProbe, blackbox.MsPerProbe), "Synthetic ≤ blackbox",
            Report.Met(synthetic.MsPerProbe <= blackbox.MsPerProbe)));
        context.Report.Add(new Row("1 CPU / health probe", $"CPU, % of one core at {rate:F0} probes/s", Report.Num(synthetic.Percent, 1) + " %",
            Report.Num(blackbox.Percent, 1) + " %", Report.Ratio(synthetic.Percent, blackbox.Percent), string.Empty, string.Empty));
        context.Report.Add(new Row("1 CPU / health probe", "probes in window (failed)", $"{synthetic.Probes:F0} ({synthetic.Failed:F0})",
            $"{blackbox.Probes:F0} ({blackbox.Failed:F0})", string.Empty, string.Empty, string.Empty));
        context.Report.Add(new Row("1 CPU / health probe", "RSS at end of window", Report.Num(synthetic.RssMb, 0) + " MB",
            Report.Num(blackbox.RssMb, 0) + " MB", Report.Ratio(synthetic.RssMb, blackbox.RssMb), string.Empty, string.Empty));

        section.Add($"- Both tools probe `{nginx.Health}` (nginx, `return 200 '{{\"status\":\"healthy\"}}'`), one new TCP connection per probe " +
                    "(Synthetic sends `Connection: close`; blackbox_exporter builds a new HTTP client per probe). " +
                    "Synthetic checks the parsed JSON `status`; blackbox's module checks the body with `fail_if_body_not_matches_regexp`.");
        section.Add($"- Synthetic: {options.CpuChecks} targets with one health check each, Interval 1 s, Timeout 900 ms, Detailed false, no components, no canary; " +
                    $"warm-up {options.CpuWarmup.TotalSeconds:F0} s, then {options.CpuWindow.TotalSeconds:F0} s measured; probes from `synthetic_probe_runs_total`. " +
                    $"Skipped runs in the window: {synthetic.Skipped:F0}. Scrapes of /metrics at the window edges are outside the CPU samples.");
        section.Add($"- blackbox_exporter: the driver sends `GET /probe?module=http_2xx&target=…` at {rate:F0}/s (open loop, keep-alive to the exporter), " +
                    $"same warm-up and window; probes = answers received in the window. The exporter's CPU includes serving those /probe requests " +
                    "(that is how Prometheus drives it), the driver's CPU is not counted.");
        section.Add($"- For scale: a bare .NET `HttpClient` GET + JSON parse with `Connection: close`, same rate, in its own process " +
                    $"(no scheduler, no metrics): **{Report.Num(baseline.MsPerRequest, 3)} ms CPU per request** ({baseline.Completed} requests, {baseline.Ok} ok). " +
                    $"Synthetic's own share per probe is roughly {Report.Num(synthetic.MsPerProbe - baseline.MsPerRequest, 3)} ms (Synthetic − bare client).");
        if (options.Experiments)
        {
            await ExperimentsAsync(context, nginx, synthetic, blackbox, cancellationToken);
        }
    }

    /// <summary>The same load on variants of the monitor, to measure what the scheduler and the thread pool's spinning cost.</summary>
    private static async Task ExperimentsAsync(BenchContext context, Nginx nginx, ToolResult shipped, ToolResult blackbox, CancellationToken cancellationToken)
    {
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
        var section = context.Report.Section(Title);
        section.Add(string.Empty);
        section.Add($"Experiments (`--experiments`): the same {context.Options.CpuChecks} checks × 1 s on variants of the monitor, " +
                    $"{(context.Options.CpuWindow / 2).TotalSeconds:F0} s windows, to locate the cost (helper verb `monitor-variant` of the driver):");
        section.Add(string.Empty);
        section.Add("| variant | CPU ms / probe | vs shipped | vs blackbox | skipped | failed |");
        section.Add("|---|---:|---:|---:|---:|---:|");
        section.Add($"| shipped exe (above) | {Report.Num(shipped.MsPerProbe, 3)} | 1.00× | {Report.Ratio(shipped.MsPerProbe, blackbox.MsPerProbe)} | {shipped.Skipped:F0} | {shipped.Failed:F0} |");
        foreach (var (name, description, environment, variant) in variants)
        {
            var result = await MeasureSyntheticAsync(context, nginx, cancellationToken, name, context.Options.CpuWindow / 2, environment, variant);
            section.Add($"| {description} | {Report.Num(result.MsPerProbe, 3)} | {Report.Ratio(result.MsPerProbe, shipped.MsPerProbe)} | " +
                        $"{Report.Ratio(result.MsPerProbe, blackbox.MsPerProbe)} | {result.Skipped:F0} | {result.Failed:F0} |");
        }
    }

    internal sealed record ToolResult(double MsPerProbe, double Percent, double Probes, double Failed, double Skipped, double RssMb);

    internal sealed record Baseline(double MsPerRequest, long Completed, long Ok, double RssMb);

    private static async Task<ToolResult> MeasureSyntheticAsync(BenchContext context, Nginx nginx, CancellationToken cancellationToken,
        string name = "s1-synthetic", TimeSpan? window = null, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? variant = null)
    {
        var options = context.Options;
        var targets = Enumerable.Range(0, options.CpuChecks)
            .Select(i => MonitorProcess.HealthTarget($"h{i:D4}", nginx.BaseUrl, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(900)))
            .ToList();
        var monitor = await MonitorProcess.StartAsync(context, name, targets, cancellationToken, environment, variant);
        try
        {
            await Task.Delay(options.CpuWarmup, cancellationToken);
            var m0 = await monitor.ScrapeAsync(context, cancellationToken);
            var c0 = CpuSample.Take(monitor.Pid);
            await Task.Delay(window ?? options.CpuWindow, cancellationToken);
            var c1 = CpuSample.Take(monitor.Pid);
            var rss = ProcStat.RssMb(monitor.Pid);
            var m1 = await monitor.ScrapeAsync(context, cancellationToken);
            var (probes, failed, skipped) = RunDelta.Between(m0, m1);
            var cpu = c1.CpuMsSince(c0);
            BenchLog.Info($"{name}: {cpu:F0} ms CPU for {probes:F0} probes ({failed:F0} failed, {skipped:F0} skipped) in {c1.WallSecondsSince(c0):F1} s");
            return new ToolResult(cpu / probes, c1.PercentSince(c0), probes, failed, skipped, rss);
        }
        finally
        {
            await monitor.Child.DisposeAsync();
        }
    }

    private static async Task<ToolResult> MeasureBlackboxAsync(BenchContext context, Nginx nginx, double rate, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var blackbox = await Blackbox.StartAsync(context, "s1-blackbox", cancellationToken);
        try
        {
            var probeUrl = blackbox.ProbeUrl(nginx.Health, "http_2xx");
            using var handler = new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 256, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
            var counters = new LoadCounters();
            async Task<bool> Send(long index, CancellationToken token)
            {
                var body = await client.GetStringAsync(probeUrl, token);
                return body.Contains("\nprobe_success 1", StringComparison.Ordinal);
            }

            var load = Pacer.RunAsync(rate, options.CpuWarmup + options.CpuWindow, Send, 256, counters, cancellationToken);
            await Task.Delay(options.CpuWarmup, cancellationToken);
            var (done0, ok0) = (counters.Completed, counters.Ok);
            var c0 = CpuSample.Take(blackbox.Child.Pid);
            await Task.Delay(options.CpuWindow, cancellationToken);
            var c1 = CpuSample.Take(blackbox.Child.Pid);
            var (done1, ok1) = (counters.Completed, counters.Ok);
            var rss = ProcStat.RssMb(blackbox.Child.Pid);
            await load;
            var probes = (double)(done1 - done0);
            var failed = probes - (ok1 - ok0);
            var cpu = c1.CpuMsSince(c0);
            BenchLog.Info($"blackbox_exporter: {cpu:F0} ms CPU for {probes:F0} probes ({failed:F0} failed, {counters.Dropped} dropped by the driver) in {c1.WallSecondsSince(c0):F1} s");
            return new ToolResult(cpu / probes, c1.PercentSince(c0), probes, failed, counters.Dropped, rss);
        }
        finally
        {
            await blackbox.Child.DisposeAsync();
        }
    }

    /// <summary>Runs the bare-HttpClient load generator in its own process and reads its self-measured result.</summary>
    internal static async Task<Baseline> MeasureBaselineAsync(BenchContext context, Uri url, string kind, double rate, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var warmup = kind == "canary" ? options.CanaryWarmup : options.CpuWarmup;
        var window = (kind == "canary" ? options.CanaryWindow : options.CpuWindow) / 2;
        var name = "baseline-" + kind;
        var child = Child.Start(context, name, "dotnet",
        [
            BenchContext.BenchDll, "loadgen", "--kind", kind, "--url", url.ToString(), "--fixtures", context.FixturesPath,
            "--rate", rate.ToString(CultureInfo.InvariantCulture),
            "--warmup", warmup.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--window", window.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ]);
        try
        {
            var deadline = DateTime.UtcNow + warmup + window + TimeSpan.FromSeconds(60);
            while (!child.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, cancellationToken);
            }

            var line = File.ReadLines(child.Log).LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
                       ?? throw new BenchException($"{name} printed no result:\n{child.Tail()}");
            using var json = JsonDocument.Parse(line["RESULT ".Length..]);
            var root = json.RootElement;
            var completed = root.GetProperty("completed").GetInt64();
            var result = new Baseline(root.GetProperty("cpuMs").GetDouble() / Math.Max(1, completed), completed,
                root.GetProperty("ok").GetInt64(), root.GetProperty("rssMb").GetDouble());
            BenchLog.Info($"bare HttpClient ({kind}): {result.MsPerRequest:F3} ms CPU per request over {completed} requests ({result.Ok} ok)");
            return result;
        }
        finally
        {
            await child.DisposeAsync();
        }
    }
}
