using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Synthetic.StandIn;
using Synthetic.Tests.Support;
using Xunit.Abstractions;

namespace Synthetic.Tests.Hosting;

/// <summary>
/// A monitor given far more work than it can run (120 checks every 2 s against a target answering in 100 ms,
/// through a scheduler allowed one run at a time: under 10 runs/s for 60 due): it still answers /metrics, /status and
/// /healthz, says it is saturated, runs every check eventually, counts the skipped runs, reports no target failure
/// of its own making, keeps its memory and its log bounded. Counts and eventual conditions only, no latency bound.
/// Alone (the serial collection): it measures the process's heap, and a timeout margin is only fair on a machine
/// the parallel tests are not also loading.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class MonitorSaturationTests(ITestOutputHelper output)
{
    private const int Targets = 120;

    /// <summary>Managed heap growth allowed over the saturated run, after a forced collection.</summary>
    private const long HeapGrowthBound = 64L * 1024 * 1024;

    [Fact]
    public async Task Monitor_FarMoreWorkThanItCanRun_StaysAnsweringRunsEveryCheckAndSaysSaturated()
    {
        await using var standIn = await StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });
        standIn.SetMode(new StandInMode("slow", 100, 0));
        await using var monitor = await TestMonitor.StartAsync(Config(standIn.BaseUrl),
            builder =>
            {
                builder.Services.Configure<ThreadPoolOptions>(pool => pool.MaxConcurrency = 1);
                builder.Services.Configure<QuartzSchedulerOptions>(scheduler => scheduler.MaxBatchSize = 1);
            });
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        var text = await monitor.WaitForMetricsAsync(t => MetricsText.Value(t, "synthetic_scheduler_saturated") == 1,
            TimeSpan.FromSeconds(90), "synthetic_scheduler_saturated 1");
        Assert.True(MetricsText.Value(text, "synthetic_scheduler_late_checks") >= 1);
        Assert.True(MetricsText.Value(text, "synthetic_scheduler_runs_in_flight") <= 1, "the scheduler was not constrained to one run at a time");

        var health = await monitor.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using (var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync()))
        {
            Assert.Equal("saturated", body.RootElement.GetProperty("status").GetString());
            Assert.Contains("behind schedule", body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // Fair shedding: every check runs, later. Starved checks would keep this waiting for ever.
        var status = await WaitForEveryCheckToRunAsync(monitor, TimeSpan.FromSeconds(120));
        var saturation = status.GetProperty("saturation");
        Assert.Equal(Targets, saturation.GetProperty("checks").GetInt32());

        text = await monitor.MetricsAsync();
        var skipped = Sum(text, "synthetic_probe_skipped_total");
        var failures = Sum(text, "synthetic_probe_failures_total");
        var runs = Sum(text, "synthetic_probe_runs_total");
        var skipLines = monitor.Logs.Lines.Count(l => l.Contains("CheckRunner[102]", StringComparison.Ordinal)
            || l.Contains("CheckRunner[105]", StringComparison.Ordinal) || l.Contains("CheckRunner[106]", StringComparison.Ordinal));
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"runs {runs}, skipped {skipped} (one log line each before SkipLog), skip log lines {skipLines}, " +
                         $"failures {failures}, heap {heapBefore / 1e6:F1} -> {heapAfter / 1e6:F1} MB");

        Assert.True(skipped > Targets, $"only {skipped} skipped runs counted");
        // The backlog is the monitor's: the target answered every run it got in 100 ms, none may be reported failing.
        Assert.True(failures == 0, "failures reported: " + string.Join("; ", text.Split('\n')
            .Where(l => l.StartsWith("synthetic_probe_failures_total{", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal))));
        Assert.True(skipLines <= 3 * 11, $"{skipLines} skip log lines for {skipped} skips");
        Assert.True(heapAfter - heapBefore < HeapGrowthBound, $"managed heap grew {heapBefore / 1e6:F1} -> {heapAfter / 1e6:F1} MB");
    }

    private static Dictionary<string, string?> Config(Uri target)
    {
        var config = new Dictionary<string, string?>
        {
            ["Synthetic:Listen"] = "http://127.0.0.1:0",
            ["Synthetic:SpreadStart"] = "false",
        };
        for (var i = 0; i < Targets; i++)
        {
            config[$"Synthetic:Targets:{i}:Name"] = $"t{i:D2}";
            config[$"Synthetic:Targets:{i}:BaseUrl"] = target.ToString();
            config[$"Synthetic:Targets:{i}:Health:Interval"] = "2s";
            config[$"Synthetic:Targets:{i}:Health:Timeout"] = "1500ms";
            config[$"Synthetic:Targets:{i}:Health:Detailed"] = "false";
            config[$"Synthetic:Targets:{i}:Health:Components"] = string.Empty;
            config[$"Synthetic:Targets:{i}:Canary:Enabled"] = "false";
        }

        return config;
    }

    private static async Task<JsonElement> WaitForEveryCheckToRunAsync(TestMonitor monitor, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var notRun = new List<string>();
        while (DateTime.UtcNow < deadline)
        {
            var status = await monitor.StatusAsync();
            notRun = [.. status.GetProperty("targets").EnumerateArray()
                .Where(t => t.GetProperty("checks").EnumerateArray().Any(c => c.GetProperty("latest").ValueKind != JsonValueKind.Object))
                .Select(t => t.GetProperty("name").GetString()!)];
            if (notRun.Count == 0)
            {
                return status;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"{notRun.Count} checks never ran within {timeout}: {string.Join(", ", notRun.Take(10))}");
        return default;
    }

    private static double Sum(string text, string name) =>
        text.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
