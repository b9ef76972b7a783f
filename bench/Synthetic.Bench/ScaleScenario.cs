using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Synthetic.Bench;

/// <summary>
/// Scenario 3: scale. 2,000 health checks at 15 s against nginx for several minutes: scheduler start lag,
/// RSS, CPU, and the time of one /metrics scrape.
/// </summary>
internal static class ScaleScenario
{
    private const string Title = "3. Scale";
    private const string Scenario = "3 scale";

    public static async Task RunAsync(BenchContext context, Nginx nginx, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var section = context.Report.Section(Title);
        var n = options.ScaleChecks;
        var interval = options.ScaleInterval;
        var targets = Targets(options, nginx);
        var monitor = await MonitorProcess.StartAsync(context, "s3-synthetic", targets, cancellationToken);
        try
        {
            var pid = monitor.Pid;
            var rssAfterStart = ProcStat.RssMb(pid);
            await Task.Delay(options.ScaleWarmup, cancellationToken);
            var m0 = await monitor.ScrapeAsync(context, cancellationToken);
            var c0 = CpuSample.Take(pid);
            var window = options.ScaleDuration - options.ScaleWarmup;
            var rssSamples = new List<double>();
            var windowStart = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(windowStart) < window)
            {
                monitor.Child.EnsureRunning();
                rssSamples.Add(ProcStat.RssMb(pid));
                var left = window - Stopwatch.GetElapsedTime(windowStart);
                await Task.Delay(left < TimeSpan.FromSeconds(10) ? left : TimeSpan.FromSeconds(10), cancellationToken);
            }

            var c1 = CpuSample.Take(pid);
            var rss = ProcStat.RssMb(pid);
            var peak = ProcStat.PeakRssMb(pid);
            var threads = ProcStat.Threads(pid);

            // Start lag a second way, at full resolution, before any scrape disturbs the schedule: every check's latest
            // startedAt in /status against its own schedule.
            var (statusLags, statusBytes, statusSeconds) = await StatusLagsAsync(context, monitor, n, interval, cancellationToken);
            var m1 = await monitor.ScrapeAsync(context, cancellationToken);

            // Start lag from the monitor's histogram, over the window only.
            var lagBuckets = Stats.Subtract(PromText.Buckets(m1, "synthetic_scheduler_start_lag_seconds"), PromText.Buckets(m0, "synthetic_scheduler_start_lag_seconds"));
            var p50 = Stats.HistogramQuantile(lagBuckets, 0.50);
            var p99 = Stats.HistogramQuantile(lagBuckets, 0.99);
            var lagCount = lagBuckets.Count > 0 ? lagBuckets.Last().Value : 0;
            var (runs, failures, skipped) = RunDelta.Between(m0, m1);
            var wall = c1.WallSecondsSince(c0);
            var expected = n / interval.TotalSeconds * wall;
            var cpuPercent = c1.PercentSince(c0);
            var cpuPerProbe = c1.CpuMsSince(c0) / runs;

            // Scrape time (new connection each, body fully read). The serializer runs once per scrape, so the JIT
            // promotes its per-scrape code to optimized tier only after ~30 scrapes (~8 min of 15 s scrapes): report the
            // first scrapes (cold, as after a restart) and the median of 20 after 30 warm-up scrapes (steady state).
            var coldTimes = new List<double>();
            long bytes = 0;
            for (var i = 0; i < 30; i++)
            {
                var (seconds, length) = await TimeScrapeAsync(monitor, cancellationToken);
                if (i < 5)
                {
                    coldTimes.Add(seconds);
                }

                bytes = length;
                await Task.Delay(100, cancellationToken);
            }

            var scrapeTimes = new List<double>();
            var cs0 = CpuSample.Take(pid);
            for (var i = 0; i < 20; i++)
            {
                scrapeTimes.Add((await TimeScrapeAsync(monitor, cancellationToken)).Seconds);
                await Task.Delay(100, cancellationToken);
            }

            var cs1 = CpuSample.Take(pid);
            var scrapeMedian = Stats.Median(scrapeTimes);
            var scrapeCpu = (cs1.CpuMsSince(cs0) - (cpuPercent * 10 * cs1.WallSecondsSince(cs0))) / 20;
            var series = PromText.Parse(Encoding.UTF8.GetString(await context.Http.GetByteArrayAsync(new Uri(monitor.BaseUrl, "/metrics"), cancellationToken))).Count;

            var label = $"{n} checks × {interval.TotalSeconds:F0} s, {options.ScaleDuration.TotalMinutes:F1} min";
            context.Report.Add(new Row(Scenario, $"start lag p50 / p99, histogram ({lagCount:F0} runs; {label})",
                $"{Report.Ms(p50.Value, 2)} / {Report.Ms(p99.Value, 2)}", "n/a", string.Empty, "p99 < 50 ms", Report.Met(p99.Upper <= 0.05)));
            context.Report.Add(new Row(Scenario, $"start lag p50 / p99 / max, exact, from /status ({statusLags.Count} runs)",
                $"{Report.Ms(Stats.Percentile(statusLags, 50), 2)} / {Report.Ms(Stats.Percentile(statusLags, 99), 2)} / {Report.Ms(statusLags.Count > 0 ? statusLags.Max() : double.NaN, 1)}",
                "n/a", string.Empty, "p99 < 50 ms", Report.Met(statusLags.Count > 0 ? Stats.Percentile(statusLags, 99) < 0.05 : null)));
            context.Report.Add(new Row(Scenario, "RSS at end / peak", $"{Report.Num(rss, 0)} / {Report.Num(peak, 0)} MB", "n/a", string.Empty, "< 150 MB",
                Report.Met(peak < 150)));
            context.Report.Add(new Row(Scenario, $"CPU, % of one core ({n / interval.TotalSeconds:F0} probes/s)", Report.Num(cpuPercent, 1) + " %", "n/a", string.Empty,
                string.Empty, string.Empty));
            context.Report.Add(new Row(Scenario, $"/metrics scrape, median of 20 after 30 warm-up scrapes ({bytes / 1024.0 / 1024.0:F1} MiB, {series} samples)",
                Report.Ms(scrapeMedian, 1), "n/a", string.Empty, "< 50 ms", Report.Met(scrapeMedian < 0.05)));
            context.Report.Add(new Row(Scenario, "/metrics scrape, first 5 after the window (cold code), median / max",
                $"{Report.Ms(Stats.Median(coldTimes), 1)} / {Report.Ms(coldTimes.Max(), 1)}", "n/a", string.Empty, string.Empty, string.Empty));
            context.Report.Add(new Row(Scenario, "runs in window / expected (failed, skipped)", $"{runs:F0} / {expected:F0} ({failures:F0}, {skipped:F0})", "n/a",
                string.Empty, string.Empty, string.Empty));

            section.Add($"- {n} targets, one health check each (Interval {interval.TotalSeconds:F0} s, Timeout 5 s, no detailed view, no components, no canary), " +
                        $"against nginx; started in {monitor.StartupTime.TotalSeconds:F1} s (process start → /healthz answers), RSS {rssAfterStart:F0} MB then. " +
                        $"Warm-up {options.ScaleWarmup.TotalSeconds:F0} s, window {wall:F0} s.");
            section.Add($"- Start lag, histogram: `synthetic_scheduler_start_lag_seconds` difference over the window, quantiles interpolated inside buckets like " +
                        $"`histogram_quantile` — p50 lies in the ({Report.Ms(p50.Lower, 1)}, {Report.Ms(p50.Upper, 1)}] bucket, p99 in ({Report.Ms(p99.Lower, 1)}, {Report.Ms(p99.Upper, 1)}]. " +
                        "The first bucket is 1 ms, so below 1 ms the histogram cannot resolve anything.");
            section.Add($"- Start lag, exact: /status (one {statusBytes / 1024.0 / 1024.0:F1} MiB document, {statusSeconds * 1000:F0} ms) gives each check's latest `startedAt` " +
                        "(taken inside the probe, a few µs after the monitor's own lag measurement). Its schedule is StartAt + i × interval / N + k × interval " +
                        "(the monitor spreads first runs evenly), with a StartAt common to all checks but unknown to the driver; lag = startedAt − schedule, " +
                        "with StartAt estimated as the one that makes the smallest lag 0. So these are deviations from the schedule *relative to the earliest check*. " +
                        $"The monitor starts checks due within {Synthetic.Hosting.SyntheticServiceCollectionExtensions.BatchWindow.TotalMilliseconds:F0} ms of each other together " +
                        "(up to that much early), so these figures include up to that window as well as any lateness; the histogram counts early starts as 0.");
            section.Add($"- CPU: {cpuPerProbe:F3} ms per probe at this rate (compare scenario 1); {threads} threads at the end. " +
                        $"Scrapes: first five {string.Join(", ", coldTimes.Select(t => (t * 1000).ToString("F0", CultureInfo.InvariantCulture)))} ms; " +
                        $"after warm-up {string.Join(", ", scrapeTimes.Order().Select(t => (t * 1000).ToString("F0", CultureInfo.InvariantCulture)))} ms; " +
                        $"about {scrapeCpu:F0} ms of monitor CPU per scrape (CPU during the 20 scrapes minus the probing rate).");
            section.Add($"- RSS sampled every 10 s in the window: {string.Join(", ", rssSamples.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))} MB.");
        }
        finally
        {
            await monitor.Child.DisposeAsync();
        }

        if (options.Experiments)
        {
            await MemoryExperimentsAsync(context, targets, cancellationToken);
        }
    }

    /// <summary>The scenario's checks: <see cref="BenchOptions.ScaleChecks"/> health-only targets at <see cref="BenchOptions.ScaleInterval"/> against nginx.</summary>
    public static List<object> Targets(BenchOptions options, Nginx nginx) => Enumerable.Range(0, options.ScaleChecks)
        .Select(i => MonitorProcess.HealthTarget($"t{i:D5}", nginx.BaseUrl, options.ScaleInterval, TimeSpan.FromSeconds(5)))
        .ToList();

    /// <summary>One scrape on a new connection, the body streamed through a small buffer (as Prometheus parses it), not collected.</summary>
    private static async Task<(double Seconds, long Bytes)> TimeScrapeAsync(MonitorProcess monitor, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var buffer = new byte[64 * 1024];
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(new Uri(monitor.BaseUrl, "/metrics"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        long bytes = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            bytes += read;
        }

        return (Stopwatch.GetElapsedTime(started).TotalSeconds, bytes);
    }

    /// <summary>The same 2,000 checks with other runtime settings, RSS only (one interval plus the warm-up each).</summary>
    private static async Task MemoryExperimentsAsync(BenchContext context, List<object> targets, CancellationToken cancellationToken)
    {
        var section = context.Report.Section(Title);
        section.Add(string.Empty);
        section.Add($"Experiments (`--experiments`): RSS of the same {targets.Count} checks after {(context.Options.ScaleWarmup + context.Options.ScaleInterval).TotalSeconds:F0} s with other runtime settings:");
        section.Add(string.Empty);
        section.Add("| setting | RSS | peak |");
        section.Add("|---|---:|---:|");
        var variants = new (string Name, string Description, Dictionary<string, string> Environment)[]
        {
            ("x3-shipped", "shipped: workstation GC, tiered PGO off", []),
            ("x3-server", "server GC (`DOTNET_gcServer=1`, the Web SDK's default)", new() { ["DOTNET_gcServer"] = "1" }),
            ("x3-pgo", "tiered PGO on (`DOTNET_TieredPGO=1`, the runtime's default)", new() { ["DOTNET_TieredPGO"] = "1" }),
            ("x3-gen0", "4 MiB gen0 budget (`DOTNET_GCgen0size=0x400000`)", new() { ["DOTNET_GCgen0size"] = "0x400000" }),
        };
        foreach (var (name, description, environment) in variants)
        {
            var monitor = await MonitorProcess.StartAsync(context, name, targets, cancellationToken, environment);
            try
            {
                await Task.Delay(context.Options.ScaleWarmup + context.Options.ScaleInterval, cancellationToken);
                section.Add($"| {description} | {ProcStat.RssMb(monitor.Pid):F0} MB | {ProcStat.PeakRssMb(monitor.Pid):F0} MB |");
            }
            finally
            {
                await monitor.Child.DisposeAsync();
            }
        }
    }

    /// <summary>Lags of every check's latest run, from /status, relative to its own spread schedule.</summary>
    private static async Task<(List<double> Lags, long Bytes, double Seconds)> StatusLagsAsync(BenchContext context, MonitorProcess monitor, int n,
        TimeSpan interval, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var bytes = await context.Http.GetByteArrayAsync(new Uri(monitor.BaseUrl, "/status"), cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        using var json = JsonDocument.Parse(bytes);
        var residuals = new List<double>();
        long? reference = null;
        foreach (var target in json.RootElement.GetProperty("targets").EnumerateArray())
        {
            var name = target.GetProperty("name").GetString()!;
            var index = int.Parse(name[1..], CultureInfo.InvariantCulture);
            foreach (var check in target.GetProperty("checks").EnumerateArray())
            {
                if (check.GetProperty("latest") is not { ValueKind: JsonValueKind.Object } latest)
                {
                    continue;
                }

                var startedAt = latest.GetProperty("startedAt").GetDateTimeOffset().UtcTicks;
                // The same arithmetic as the monitor's spread: offset = interval.Ticks * i / N.
                var scheduleOffset = interval.Ticks * index / n;
                var anchor = startedAt - scheduleOffset;
                reference ??= anchor;
                // Fold into (−interval/2, interval/2] around the first check's anchor.
                var delta = (anchor - reference.Value) % interval.Ticks;
                if (delta > interval.Ticks / 2)
                {
                    delta -= interval.Ticks;
                }
                else if (delta <= -interval.Ticks / 2)
                {
                    delta += interval.Ticks;
                }

                residuals.Add(delta / (double)TimeSpan.TicksPerSecond);
            }
        }

        if (residuals.Count == 0)
        {
            return ([], bytes.Length, seconds);
        }

        var min = residuals.Min();
        return ([.. residuals.Select(r => r - min)], bytes.Length, seconds);
    }
}
