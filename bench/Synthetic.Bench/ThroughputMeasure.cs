using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Synthetic.Bench;

/// <summary>One closed-loop step of blackbox_exporter: <see cref="Clients"/> clients sending /probe back to back.</summary>
internal sealed record BlackboxStep(int Clients, int? MaxProcs, double PerSecond, double Completed, double Failed, double CpuPercent, double MsPerProbe,
    double NginxPercent, double DriverPercent, double LatencyP50, double LatencyP99, double RssMb)
{
    /// <summary>/metrics did not answer at the window's edges: the monitor was too busy to be read, the counts are unknown.</summary>
    public bool Collapsed => double.IsNaN(PerSecond);

    public double FailedFraction => Completed > 0 ? Failed / Completed : double.NaN;
}

/// <summary>One open-loop step of the monitor: <see cref="Checks"/> health checks every <see cref="Interval"/>.</summary>
internal sealed record SyntheticStep(int Checks, TimeSpan Interval, double StartupSeconds, double PerSecond, RunDelta Window, RunDelta Warmup,
    double CpuPercent, double MsPerProbe, double NginxPercent, double ScrapeMs, double ScrapeMiB, double RssMb, double PeakRssMb,
    IReadOnlyDictionary<string, string> Gauges, IReadOnlyDictionary<string, double> FailureReasons, string? Note)
{
    public double Offered => Checks / Interval.TotalSeconds;

    /// <summary>/metrics did not answer at the window's edges: the monitor was too busy to be read, the counts are unknown.</summary>
    public bool Collapsed => double.IsNaN(PerSecond);

    public double FailedFraction => Window.Runs > 0 ? Window.Failed / Window.Runs : double.NaN;

    /// <summary>Kept up with the schedule: at least 99 % of the offered runs completed and under 0.1 % of them skipped.</summary>
    public bool OnSchedule => PerSecond >= 0.99 * Offered && Window.Skipped < 0.001 * Window.Runs;
}

/// <summary>Scenario 9's measurements: blackbox_exporter in a closed loop, the shipped monitor at a stepped offered rate.</summary>
internal static class ThroughputMeasure
{
    /// <summary>The scheduler gauges read at the end of each window (the last three are new with admission control: "–" when absent).</summary>
    public static readonly string[] GaugeNames =
    [
        "synthetic_scheduler_saturated", "synthetic_scheduler_late_checks", "synthetic_scheduler_runs_in_flight", "synthetic_scheduler_runs_queued",
        "synthetic_scheduler_admission_limit",
    ];

    /// <summary>
    /// K clients in the driver, each sending <c>GET /probe</c> and waiting for the answer before sending the next (keep-alive to the
    /// exporter, one connection per client), for the warm-up and then the window; counters, CPU (exporter, nginx, driver) at the window edges.
    /// </summary>
    public static async Task<BlackboxStep> BlackboxAsync(Blackbox blackbox, Nginx nginx, int clients, int? maxProcs, TimeSpan warmup, TimeSpan window,
        CancellationToken cancellationToken)
    {
        var probeUrl = blackbox.ProbeUrl(nginx.Health, "http_2xx");
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false, UseCookies = false, MaxConnectionsPerServer = clients, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        long completed = 0, ok = 0;
        var measuring = 0;
        var started = Stopwatch.GetTimestamp();
        var length = warmup + window;
        async Task<List<double>> Client()
        {
            var latencies = new List<double>();
            while (Stopwatch.GetElapsedTime(started) < length && !cancellationToken.IsCancellationRequested)
            {
                var sent = Stopwatch.GetTimestamp();
                var success = false;
                try
                {
                    var body = await client.GetStringAsync(probeUrl, cancellationToken);
                    success = body.Contains("\nprobe_success 1", StringComparison.Ordinal);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    // Counted as a failure below.
                }

                if (Volatile.Read(ref measuring) == 1)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalSeconds);
                }

                Interlocked.Increment(ref completed);
                if (success)
                {
                    Interlocked.Increment(ref ok);
                }
            }

            return latencies;
        }

        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(Client, CancellationToken.None)).ToList();
        await Task.Delay(warmup, cancellationToken);
        var (done0, ok0) = (Interlocked.Read(ref completed), Interlocked.Read(ref ok));
        var samples0 = Samples.Take(blackbox.Child.Pid, nginx.Child.Pid);
        Volatile.Write(ref measuring, 1);
        await Task.Delay(window, cancellationToken);
        var samples1 = Samples.Take(blackbox.Child.Pid, nginx.Child.Pid);
        var (done1, ok1) = (Interlocked.Read(ref completed), Interlocked.Read(ref ok));
        Volatile.Write(ref measuring, 0);
        var rss = ProcStat.RssMb(blackbox.Child.Pid);
        var latencies = (await Task.WhenAll(workers)).SelectMany(l => l).ToList();
        var probes = (double)(done1 - done0);
        var wall = samples1.Tool.WallSecondsSince(samples0.Tool);
        var step = new BlackboxStep(clients, maxProcs, probes / wall, probes, probes - (ok1 - ok0), samples1.Tool.PercentSince(samples0.Tool),
            samples1.Tool.CpuMsSince(samples0.Tool) / probes, samples1.Nginx.PercentSince(samples0.Nginx), samples1.Driver.PercentSince(samples0.Driver),
            Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99), rss);
        BenchLog.Info($"s9-blackbox{(maxProcs is { } p ? $" GOMAXPROCS={p}" : string.Empty)} K={clients}: {step.PerSecond:F0} probes/s, {step.Failed:F0} failed, " +
                      $"CPU {step.CpuPercent:F0} % ({step.MsPerProbe:F3} ms/probe), nginx {step.NginxPercent:F0} %, driver {step.DriverPercent:F0} %, " +
                      $"latency p50 {step.LatencyP50 * 1000:F1} / p99 {step.LatencyP99 * 1000:F1} ms");
        return step;
    }

    /// <summary>
    /// A fresh shipped monitor with <paramref name="checks"/> health checks at <paramref name="interval"/> (open loop: the scheduler
    /// offers checks / interval runs per second whatever happens): warm-up with two scrapes (so the exposition code is compiled), then a
    /// window between two scrapes; the second scrape is timed. A scrape that does not answer within <see cref="ScrapeTimeout"/> makes the
    /// step <see cref="SyntheticStep.Collapsed"/> (counts unknown; CPU and RSS still measured).
    /// </summary>
    public static async Task<SyntheticStep> SyntheticAsync(BenchContext context, Nginx nginx, int checks, TimeSpan interval, TimeSpan warmup,
        TimeSpan window, CancellationToken cancellationToken)
    {
        var targets = Enumerable.Range(0, checks)
            .Select(i => MonitorProcess.HealthTarget($"q{i:D5}", nginx.BaseUrl, interval, interval * 0.9))
            .ToList();
        var monitor = await MonitorProcess.StartAsync(context, $"s9-synthetic-{checks}", targets, cancellationToken);
        try
        {
            var collapse = new List<string>();
            var warm = await TryScrapeAsync(context, monitor, cancellationToken);
            await Task.Delay(warmup / 2, cancellationToken);
            var warm2 = await TryScrapeAsync(context, monitor, cancellationToken);
            if (warm is null && warm2 is null)
            {
                collapse.Add($"no warm-up scrape answered within {ScrapeTimeout.TotalSeconds:F0} s");
            }

            await Task.Delay(warmup / 2, cancellationToken);
            var s0 = await TryScrapeAsync(context, monitor, cancellationToken);
            var samples0 = Samples.Take(monitor.Pid, nginx.Child.Pid);
            await Task.Delay(window, cancellationToken);
            monitor.Child.EnsureRunning();
            var samples1 = Samples.Take(monitor.Pid, nginx.Child.Pid);
            var rss = ProcStat.RssMb(monitor.Pid);
            var s1 = await TryScrapeAsync(context, monitor, cancellationToken);
            var peak = ProcStat.PeakRssMb(monitor.Pid);
            var cpuWall = samples1.Tool.WallSecondsSince(samples0.Tool);
            var cpuPercent = samples1.Tool.PercentSince(samples0.Tool);
            if (s0 is null || s1 is null)
            {
                var edges = s0 is null && s1 is null ? "start and end" : s0 is null ? "start" : "end";
                collapse.Add($"/metrics did not answer within {ScrapeTimeout.TotalSeconds:F0} s at the window's {edges}");
                if ((s1 ?? s0) is { } last)
                {
                    var since = RunDelta.Between([], last.Samples);
                    collapse.Add($"from the process start to the {(s1 is null ? "window's start" : "window's end")}: {since.Runs:N0} runs, {since.Failed:N0} failed, {since.Skipped:N0} skipped");
                }
            }

            SyntheticStep step;
            if (s0 is null || s1 is null)
            {
                var unknown = new RunDelta(double.NaN, double.NaN, double.NaN);
                step = new SyntheticStep(checks, interval, monitor.StartupTime.TotalSeconds, double.NaN, unknown, s0 is null ? unknown : RunDelta.Between([], s0.Samples),
                    cpuPercent, double.NaN, samples1.Nginx.PercentSince(samples0.Nginx), double.NaN, double.NaN, rss, peak,
                    GaugeNames.ToDictionary(g => g, _ => "?"), new Dictionary<string, double>(), string.Join("; ", collapse));
            }
            else
            {
                var (m0, m1) = (s0.Samples, s1.Samples);
                var delta = RunDelta.Between(m0, m1);
                // Runs between the two scrapes (the counters are read as each scrape starts), over the time between them.
                var perSecond = delta.Runs / Stopwatch.GetElapsedTime(s0.SentAt, s1.SentAt).TotalSeconds;
                var gauges = GaugeNames.ToDictionary(g => g, g => PromText.Single(m1, g) is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "–");
                var reasons = m1.Where(s => s.Name == "synthetic_probe_failures_total").GroupBy(s => s.Labels.GetValueOrDefault("reason", "?"))
                    .ToDictionary(g => g.Key, g => g.Sum(s => s.Value) - PromText.Sum(m0, "synthetic_probe_failures_total", l => l.GetValueOrDefault("reason") == g.Key))
                    .Where(kv => kv.Value > 0).ToDictionary();
                step = new SyntheticStep(checks, interval, monitor.StartupTime.TotalSeconds, perSecond, delta, RunDelta.Between([], m0),
                    cpuPercent, samples1.Tool.CpuMsSince(samples0.Tool) / (perSecond * cpuWall), samples1.Nginx.PercentSince(samples0.Nginx),
                    s1.Seconds * 1000, s1.Bytes / 1024.0 / 1024.0, rss, peak, gauges, reasons, collapse.Count > 0 ? string.Join("; ", collapse) : null);
            }

            BenchLog.Info($"s9-synthetic {checks} × {interval.TotalSeconds:0.#} s: {step.PerSecond:F0} runs/s of {step.Offered:F0} offered, {step.Window.Failed:F0} failed, " +
                          $"{step.Window.Skipped:F0} skipped, CPU {step.CpuPercent:F0} % ({step.MsPerProbe:F3} ms/probe), nginx {step.NginxPercent:F0} %, " +
                          $"scrape {step.ScrapeMs:F0} ms, RSS {rss:F0} MB (peak {peak:F0}); warm-up {step.Warmup.Runs:F0} runs ({step.Warmup.Failed:F0} failed, " +
                          $"{step.Warmup.Skipped:F0} skipped); {string.Join(", ", step.Gauges.Select(g => $"{g.Key.Replace("synthetic_scheduler_", string.Empty, StringComparison.Ordinal)} {g.Value}"))}" +
                          (step.Note is null ? string.Empty : $"; {step.Note}"));
            return step;
        }
        finally
        {
            await monitor.Child.DisposeAsync();
        }
    }

    /// <summary>How long a scrape may take before the step counts as collapsed (Prometheus's default scrape timeout is 10 s).</summary>
    public static readonly TimeSpan ScrapeTimeout = TimeSpan.FromSeconds(10);

    private sealed record Scrape(List<PromText.Sample> Samples, double Seconds, long Bytes, long SentAt);

    /// <summary>
    /// One /metrics scrape on the control client (keep-alive), timed to the last byte; only the families this scenario reads are
    /// parsed (at 8,000 checks the page has some 250,000 samples). SentAt: when the request was sent, for the rate between scrapes.
    /// Null when it does not answer within <see cref="ScrapeTimeout"/>.
    /// </summary>
    private static async Task<Scrape?> TryScrapeAsync(BenchContext context, MonitorProcess monitor, CancellationToken cancellationToken)
    {
        monitor.Child.EnsureRunning();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ScrapeTimeout);
        var sentAt = Stopwatch.GetTimestamp();
        string text;
        try
        {
            text = await context.Http.GetStringAsync(new Uri(monitor.BaseUrl, "/metrics"), timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            BenchLog.Info($"{monitor.Child.Name}: /metrics gave no answer within {ScrapeTimeout.TotalSeconds:F0} s ({ex.GetType().Name})");
            return null;
        }

        var seconds = Stopwatch.GetElapsedTime(sentAt).TotalSeconds;
        var wanted = new StringBuilder();
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("synthetic_probe_runs_total", StringComparison.Ordinal) || line.StartsWith("synthetic_probe_failures_total", StringComparison.Ordinal) ||
                line.StartsWith("synthetic_probe_skipped_total", StringComparison.Ordinal) || line.StartsWith("synthetic_scheduler_", StringComparison.Ordinal))
            {
                wanted.Append(line).Append('\n');
            }
        }

        return new Scrape(PromText.Parse(wanted.ToString()), seconds, Encoding.UTF8.GetByteCount(text), sentAt);
    }

    /// <summary>CPU samples of the measured tool, nginx and the driver itself, taken together.</summary>
    private sealed record Samples(CpuSample Tool, CpuSample Nginx, CpuSample Driver)
    {
        public static Samples Take(int tool, int nginx) => new(CpuSample.Take(tool), CpuSample.Take(nginx), CpuSample.Take(Environment.ProcessId));
    }
}
