using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Synthetic.Bench;

/// <summary>
/// Scenario 7: start-up. 1,000 / 5,000 / 10,000 health checks at 15 s against nginx: process start → /healthz answers,
/// → the first full /metrics answer, → every check has run once (must be within one interval); at the largest size
/// also RSS after a minute and the time of a /metrics scrape.
/// </summary>
internal static class StartupScenario
{
    public const string Title = "7. Start-up";
    private const string Scenario = "7 start-up";
    private static readonly int[] Sizes = [1000, 5000, 10000];
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    public static async Task RunAsync(BenchContext context, Nginx nginx, CancellationToken cancellationToken)
    {
        var section = context.Report.Section(Title);
        section.Add($"- Health-only checks (Interval {Interval.TotalSeconds:F0} s, Timeout 5 s, no detailed view, no components, no canary) against nginx, " +
                    "one target each, the shipped Release build with its runtimeconfig.json. Times from the driver's process start of `dotnet Synthetic.dll`, " +
                    "polled every 25 ms. Checks with a result: `synthetic_probe_last_run_timestamp_seconds` series in one scrape taken 1 s (the first-run delay) + one interval + 0.5 s " +
                    "after the monitor was ready (a series appears with a check's first result). Load average at each start in brackets.");
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var n in Sizes.Where(s => context.Options.Quick ? s <= 5000 : true))
        {
            await MeasureAsync(context, http, nginx, n, steady: n == Sizes[^1], cancellationToken);
        }
    }

    private static async Task MeasureAsync(BenchContext context, HttpClient http, Nginx nginx, int n, bool steady, CancellationToken cancellationToken)
    {
        var section = context.Report.Section(Title);
        var port = context.FreePort();
        var targets = Enumerable.Range(0, n).Select(i => MonitorProcess.HealthTarget($"t{i:D5}", nginx.BaseUrl, Interval, TimeSpan.FromSeconds(5))).ToList();
        var config = new Dictionary<string, object>
        {
            ["Synthetic"] = new Dictionary<string, object> { ["Listen"] = $"http://127.0.0.1:{port}", ["FixturesPath"] = context.FixturesPath, ["Targets"] = targets },
        };
        var file = context.TmpFile($"s7-{n}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(config), cancellationToken);
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");

        var started = Stopwatch.GetTimestamp();
        var child = Child.Start(context, $"s7-synthetic-{n}", "dotnet", [context.SyntheticDll, "--config", file]);
        await using var _ = child;
        double? healthz = null, metrics = null;
        while ((healthz is null || metrics is null) && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(120))
        {
            child.EnsureRunning();
            healthz ??= await AnswersAsync(http, new Uri(baseUrl, "/healthz"), cancellationToken) ? Seconds(started) : null;
            metrics ??= await AnswersAsync(http, new Uri(baseUrl, "/metrics"), cancellationToken) ? Seconds(started) : null;
            await Task.Delay(25, cancellationToken);
        }

        if (healthz is null || metrics is null)
        {
            throw new BenchException($"{n} checks: the monitor did not serve /healthz and /metrics within 120 s:\n{child.Tail()}");
        }

        var peakAtReady = ProcStat.PeakRssMb(child.Pid);
        // First runs are spread over one interval starting FirstRunDelay (1 s) after the checks are scheduled, which
        // precedes /healthz: by ready + that delay + one interval (+ 0.5 s for the run itself and the 10 ms batching
        // window) every check must have a result.
        var ready = Math.Max(healthz.Value, metrics.Value);
        var deadline = ready + Synthetic.Scheduling.CheckScheduler.FirstRunDelay.TotalSeconds + Interval.TotalSeconds + 0.5;
        var wait = TimeSpan.FromSeconds(deadline - Seconds(started));
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }

        var ranByDeadline = await ChecksThatRanAsync(http, baseUrl, cancellationToken);
        var ranAt = Seconds(started);
        var ran = ranByDeadline;
        while (ran < n && Seconds(started) < deadline + 30)
        {
            await Task.Delay(2000, cancellationToken);
            ran = await ChecksThatRanAsync(http, baseUrl, cancellationToken);
            ranAt = Seconds(started);
        }

        var label = $"{n:N0} checks × 15 s";
        context.Report.Add(new Row(Scenario, $"{label}: process start → /healthz / → first /metrics (load {load})",
            $"{healthz:F1} / {metrics:F1} s", "n/a", string.Empty, n >= 10000 ? "/metrics < 5 s" : string.Empty, n >= 10000 ? Report.Met(metrics < 5) : string.Empty));
        context.Report.Add(new Row(Scenario, $"{label}: checks with a result 1 s + one interval after ready ({deadline:F1} s after process start)",
            $"{ranByDeadline:N0} / {n:N0}", "n/a", string.Empty, "all", Report.Met(ranByDeadline >= n)));
        section.Add($"- {label} (load {load}): /healthz {healthz:F2} s, /metrics {metrics:F2} s; {ranByDeadline:N0} of {n:N0} checks had a result at " +
                    $"{deadline:F1} s{(ranByDeadline < n ? $", {ran:N0} at {ranAt:F1} s" : string.Empty)}; peak RSS by ready {peakAtReady:F0} MB.");

        if (!steady)
        {
            return;
        }

        var settle = TimeSpan.FromSeconds(context.Options.Quick ? 30 : 60) - Stopwatch.GetElapsedTime(started);
        if (settle > TimeSpan.Zero)
        {
            await Task.Delay(settle, cancellationToken);
        }

        child.EnsureRunning();
        var rss = ProcStat.RssMb(child.Pid);
        var peak = ProcStat.PeakRssMb(child.Pid);
        var scrapes = new List<double>();
        long bytes = 0;
        for (var i = 0; i < 5; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var body = await http.GetByteArrayAsync(new Uri(baseUrl, "/metrics"), cancellationToken);
            scrapes.Add(Stopwatch.GetElapsedTime(t).TotalSeconds);
            bytes = body.Length;
            await Task.Delay(500, cancellationToken);
        }

        context.Report.Add(new Row(Scenario, $"{label}: RSS after {Seconds(started):F0} s (peak)", $"{rss:F0} MB ({peak:F0})", "n/a", string.Empty, "< 200 MB", Report.Met(rss < 200)));
        context.Report.Add(new Row(Scenario, $"{label}: /metrics scrape, median / max of 5 ({bytes / 1024.0 / 1024.0:F1} MiB)",
            $"{Report.Ms(Stats.Median(scrapes), 0)} / {Report.Ms(scrapes.Max(), 0)}", "n/a", string.Empty, "< 100 ms", Report.Met(Stats.Median(scrapes) < 0.1)));
        section.Add($"- {label}: RSS {rss:F0} MB (peak {peak:F0} MB); scrapes {string.Join(", ", scrapes.Select(s => (s * 1000).ToString("F0", CultureInfo.InvariantCulture)))} ms " +
                    "(cold code: the scale scenario has the warm figure at 2,000 checks).");
    }

    /// <summary>Checks with a first result: a last-run series appears with a check's first result.</summary>
    private static async Task<int> ChecksThatRanAsync(HttpClient http, Uri baseUrl, CancellationToken cancellationToken)
    {
        var text = await http.GetStringAsync(new Uri(baseUrl, "/metrics"), cancellationToken);
        return text.Split('\n').Count(l => l.StartsWith("synthetic_probe_last_run_timestamp_seconds{", StringComparison.Ordinal));
    }

    private static double Seconds(long started) => Stopwatch.GetElapsedTime(started).TotalSeconds;

    private static async Task<bool> AnswersAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
