using System.Globalization;
using System.Text.Json;

namespace Synthetic.Bench;

/// <summary>What one tool cost over one window of scenario 1.</summary>
internal sealed record ToolResult(double MsPerProbe, double Percent, double Probes, double Failed, double Skipped, double RssMb, Wakeups Wakeups)
{
    public double SwitchesPerProbe => Wakeups.Switches / Probes;

    public double WorkItemsPerProbe => Wakeups.WorkItems is { } items ? items / Probes : double.NaN;
}

/// <summary>Scenario 1's measurements of each tool at one rate: the monitor, blackbox_exporter, the bare .NET client.</summary>
internal static class CpuMeasure
{
    /// <summary>
    /// The shipped monitor (or a <c>monitor-variant</c>) with <paramref name="rate"/>'s checks; CPU and context switches from /proc,
    /// work items and allocations from the runtime through the bench's startup hook (asked at the window edges, outside the CPU samples).
    /// </summary>
    public static async Task<ToolResult> SyntheticAsync(BenchContext context, Nginx nginx, CpuRate rate, CancellationToken cancellationToken,
        string name = "s1-synthetic", TimeSpan? window = null, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? variant = null)
    {
        var options = context.Options;
        var targets = Enumerable.Range(0, rate.Checks)
            .Select(i => MonitorProcess.HealthTarget($"h{i:D4}", nginx.BaseUrl, rate.Interval, TimeSpan.FromMilliseconds(900)))
            .ToList();
        var withHook = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["DOTNET_STARTUP_HOOKS"] = BenchContext.BenchDll };
        var monitor = await MonitorProcess.StartAsync(context, name, targets, cancellationToken, withHook, variant);
        try
        {
            // Two scrapes in the warm-up, so the exposition code is compiled and tiered up before the window: otherwise the
            // JIT's tier-1 work for the scrape at the window's start lands in the window (~0.2 ms per probe at 13 probes/s).
            var warmup = options.CpuWarmupFor(rate);
            await monitor.ScrapeAsync(context, cancellationToken);
            await Task.Delay(warmup / 2, cancellationToken);
            await monitor.ScrapeAsync(context, cancellationToken);
            await Task.Delay(warmup / 2, cancellationToken);
            var m0 = await monitor.ScrapeAsync(context, cancellationToken);
            var r0 = await RuntimeCounters.RequestAsync(monitor.Child, cancellationToken);
            var t0 = TaskSample.Take(monitor.Pid);
            var c0 = CpuSample.Take(monitor.Pid);
            await Task.Delay(window ?? options.CpuWindowFor(rate), cancellationToken);
            var c1 = CpuSample.Take(monitor.Pid);
            var t1 = TaskSample.Take(monitor.Pid);
            var r1 = await RuntimeCounters.RequestAsync(monitor.Child, cancellationToken);
            var rss = ProcStat.RssMb(monitor.Pid);
            var m1 = await monitor.ScrapeAsync(context, cancellationToken);
            var (probes, failed, skipped) = RunDelta.Between(m0, m1);
            var cpu = c1.CpuMsSince(c0);
            var (switches, byThread) = t1.Since(t0);
            var wakeups = new Wakeups(cpu, switches, byThread, r1?.WorkItems - r0?.WorkItems, r1?.AllocatedBytes - r0?.AllocatedBytes);
            BenchLog.Info($"{name} at {rate.Label}: {cpu:F0} ms CPU for {probes:F0} probes ({failed:F0} failed, {skipped:F0} skipped) in " +
                          $"{c1.WallSecondsSince(c0):F1} s; {wakeups.Describe(probes)}; active timers {r1?.Timers}");
            return new ToolResult(cpu / probes, c1.PercentSince(c0), probes, failed, skipped, rss, wakeups);
        }
        finally
        {
            await monitor.Child.DisposeAsync();
        }
    }

    /// <summary>blackbox_exporter driven at the rate (open loop); <paramref name="maxProcs"/> sets GOMAXPROCS (null: Go's default, one per core).</summary>
    public static async Task<ToolResult> BlackboxAsync(BenchContext context, Nginx nginx, CpuRate rate, int? maxProcs, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var environment = maxProcs is { } procs ? new Dictionary<string, string> { ["GOMAXPROCS"] = procs.ToString(CultureInfo.InvariantCulture) } : null;
        var name = maxProcs is null ? "s1-blackbox" : $"s1-blackbox-p{maxProcs}";
        var blackbox = await Blackbox.StartAsync(context, name, cancellationToken, environment);
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

            var warmup = options.CpuWarmupFor(rate);
            var window = options.CpuWindowFor(rate);
            var load = Pacer.RunAsync(rate.PerSecond, warmup + window, Send, 256, counters, cancellationToken);
            await Task.Delay(warmup, cancellationToken);
            var (done0, ok0) = (counters.Completed, counters.Ok);
            var t0 = TaskSample.Take(blackbox.Child.Pid);
            var c0 = CpuSample.Take(blackbox.Child.Pid);
            await Task.Delay(window, cancellationToken);
            var c1 = CpuSample.Take(blackbox.Child.Pid);
            var t1 = TaskSample.Take(blackbox.Child.Pid);
            var (done1, ok1) = (counters.Completed, counters.Ok);
            var rss = ProcStat.RssMb(blackbox.Child.Pid);
            await load;
            var probes = (double)(done1 - done0);
            var failed = probes - (ok1 - ok0);
            var cpu = c1.CpuMsSince(c0);
            var (switches, byThread) = t1.Since(t0);
            var wakeups = new Wakeups(cpu, switches, byThread, null, null);
            BenchLog.Info($"{name} at {rate.Label}: {cpu:F0} ms CPU for {probes:F0} probes ({failed:F0} failed, {counters.Dropped} dropped by the driver) " +
                          $"in {c1.WallSecondsSince(c0):F1} s; {wakeups.Describe(probes)}");
            return new ToolResult(cpu / probes, c1.PercentSince(c0), probes, failed, counters.Dropped, rss, wakeups);
        }
        finally
        {
            await blackbox.Child.DisposeAsync();
        }
    }

    internal sealed record Baseline(double MsPerRequest, long Completed, long Ok, double RssMb, double WorkItemsPerRequest, double SwitchesPerRequest);

    /// <summary>Runs the bare-HttpClient load generator in its own process and reads its self-measured result.</summary>
    public static async Task<Baseline> BaselineAsync(BenchContext context, Uri url, string kind, double rate, TimeSpan warmup, TimeSpan window,
        CancellationToken cancellationToken)
    {
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
            var completed = Math.Max(1, root.GetProperty("completed").GetInt64());
            var result = new Baseline(root.GetProperty("cpuMs").GetDouble() / completed, completed, root.GetProperty("ok").GetInt64(),
                root.GetProperty("rssMb").GetDouble(), root.GetProperty("workItems").GetInt64() / (double)completed,
                root.GetProperty("switches").GetInt64() / (double)completed);
            BenchLog.Info($"bare HttpClient ({kind}) at {rate:F1}/s: {result.MsPerRequest:F3} ms CPU, {result.WorkItemsPerRequest:F2} work items, " +
                          $"{result.SwitchesPerRequest:F1} context switches per request over {completed} requests ({result.Ok} ok)");
            return result;
        }
        finally
        {
            await child.DisposeAsync();
        }
    }
}
