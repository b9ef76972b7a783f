using System.Text.Json;
using Synthetic.StandIn;
using Synthetic.Tests.Support;
using Xunit.Abstractions;

namespace Synthetic.Tests.Observability;

/// <summary>
/// The shipped rules, Alertmanager routing and dashboard, proven with the real programs: Debian's Prometheus
/// and Alertmanager on 127.0.0.1 free ports scrape the real monitor probing the stand-in, and this test is the
/// Alertmanager webhook receiver. Only Alertmanager's grouping timers are shortened (a test cannot wait 5 min
/// for group_interval); routes, receivers, inhibitions and every rule are the shipped ones.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class RealStackTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string FalsePositiveAlert = "SyntheticHealthFalsePositive";
    private const string TargetDownAlert = "SyntheticTargetDown";
    private const string TranscriptionAlert = "SyntheticTranscriptionFailing";

    private readonly string _work = Directory.CreateTempSubdirectory("synthetic-stack-baseline-").FullName;
    private StandInServer _standIn = null!;
    private TestMonitor _monitor = null!;
    private AlertStack _stack = null!;

    public async Task InitializeAsync()
    {
        _standIn = await StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });
        var config = TestMonitor.FastConfig(_standIn.BaseUrl, "smallest", canary: true);
        config["Synthetic:Targets:0:Health:Interval"] = "1s";
        config["Synthetic:Targets:0:Health:Timeout"] = "500ms";
        config["Synthetic:Targets:0:Canary:Interval"] = "2s";
        config["Synthetic:Targets:0:Canary:Timeout"] = "1500ms";
        config["Synthetic:Targets:0:Canary:MaxLatency"] = "1500ms";
        config["Synthetic:Targets:0:Canary:DegradedLatency"] = "1s";
        config["Synthetic:Targets:0:Canary:Samples:0"] = "quick-brown-fox";
        config["Synthetic:Targets:0:Canary:Samples:1"] = "numbers-dates";

        // A baseline (what calibrate writes; the hash stand-in answers the manifest text) so the drift panel has data.
        var baseline = Path.Combine(_work, "baseline.json");
        File.WriteAllText(baseline, """
            { "schema": "synthetic.baseline/v1", "samples": [
              { "sample": "quick-brown-fox", "transcript": "The quick brown fox jumps over the lazy dog." },
              { "sample": "numbers-dates", "transcript": "On March 3rd, 2024, the invoice for $1,250 was paid at 10:30 a.m." } ] }
            """);
        config["Synthetic:Targets:0:Canary:Baseline"] = baseline;
        // The streaming canary too, so the dashboard's streaming panels have data (quick-brown-fox at 4x real time).
        config["Synthetic:Targets:0:Streaming:Enabled"] = "true";
        config["Synthetic:Targets:0:Streaming:Interval"] = "2s";
        config["Synthetic:Targets:0:Streaming:Timeout"] = "1500ms";
        config["Synthetic:Targets:0:Streaming:Pace"] = "4";
        _monitor = await TestMonitor.StartAsync(config);
        _stack = await AlertStack.StartAsync([_monitor.BaseUrl]);
    }

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }

        if (_monitor is not null)
        {
            await _monitor.DisposeAsync();
        }

        if (_standIn is not null)
        {
            await _standIn.DisposeAsync();
        }

        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task RealStack_DashboardQueries_FalsePositiveAlert_TargetDownInhibition()
    {
        // 1. Healthy baseline: Prometheus scrapes the monitor, every dashboard panel query returns data.
        await _stack.WaitForQueryAsync("up{job=\"synthetic\"} == 1", TimeSpan.FromSeconds(30));
        await _stack.WaitForQueryAsync("synthetic_probe_success{probe=\"transcription\"} == 1", TimeSpan.FromSeconds(30));
        await AssertEveryDashboardQueryReturnsDataAsync();

        // 2. False positive: health stays 200, transcription answers 500 → the critical alert reaches the webhook.
        var faultAt = _stack.Webhook.Now;
        _standIn.SetMode(new StandInMode("false-positive"));
        var firing = await _stack.Webhook.WaitForAsync(FalsePositiveAlert, "firing", faultAt, TimeSpan.FromMinutes(3), _stack.Context);
        Assert.Equal("smallest", firing.Labels["target"]);
        Assert.Equal("critical", firing.Labels["severity"]);
        Assert.Contains("runbook_url", firing.Annotations, StringComparison.Ordinal);
        output.WriteLine($"false-positive fault → firing notification: {(firing.At - faultAt).TotalSeconds:F1} s");

        var recoveredAt = _stack.Webhook.Now;
        _standIn.SetMode(new StandInMode("healthy"));
        var resolved = await _stack.Webhook.WaitForAsync(FalsePositiveAlert, "resolved", recoveredAt, TimeSpan.FromMinutes(2), _stack.Context);
        output.WriteLine($"recovery → resolved notification: {(resolved.At - recoveredAt).TotalSeconds:F1} s");

        // 3. Target down (connections reset): the health alert fires, the canary alert is inhibited.
        var downAt = _stack.Webhook.Now;
        _standIn.SetMode(new StandInMode("reset"));
        var down = await _stack.Webhook.WaitForAsync(TargetDownAlert, "firing", downAt, TimeSpan.FromMinutes(3), _stack.Context);
        output.WriteLine($"target down → {TargetDownAlert} notification: {(down.At - downAt).TotalSeconds:F1} s");
        await _stack.WaitForAlertStateAsync(TranscriptionAlert, "firing", TimeSpan.FromMinutes(3));
        await _stack.WaitForInhibitedAsync(TranscriptionAlert, TimeSpan.FromMinutes(1));
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(_stack.Webhook.Notifications, n => n.At >= downAt && n.Status == "firing" && n.Labels.GetValueOrDefault("alertname") == TranscriptionAlert);
        _standIn.SetMode(new StandInMode("healthy"));
    }

    private async Task AssertEveryDashboardQueryReturnsDataAsync()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("dashboards", "synthetic.json")));
        var queries = Panels(dashboard.RootElement)
            .SelectMany(p => p.TryGetProperty("targets", out var targets) ? targets.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Where(t => t.TryGetProperty("expr", out _))
            .Select(t => Substitute(t.GetProperty("expr").GetString()!))
            // Only https targets have TLS series and this stack probes http; TlsProbeTests checks that panel's metric.
            .Where(q => !q.Contains("synthetic_tls_", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.NotEmpty(queries);

        var deadline = DateTime.UtcNow.AddSeconds(90);
        List<string> empty;
        do
        {
            empty = [];
            foreach (var query in queries)
            {
                if (await _stack.CountAsync(query) == 0)
                {
                    empty.Add(query);
                }
            }

            if (empty.Count == 0)
            {
                output.WriteLine($"{queries.Count} dashboard queries all returned data");
                return;
            }

            await Task.Delay(2000);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"{empty.Count} of {queries.Count} dashboard queries returned no data:\n" + string.Join('\n', empty));
    }

    internal static IEnumerable<JsonElement> Panels(JsonElement root)
    {
        if (!root.TryGetProperty("panels", out var panels))
        {
            yield break;
        }

        foreach (var panel in panels.EnumerateArray())
        {
            yield return panel;
            foreach (var nested in Panels(panel))
            {
                yield return nested;
            }
        }
    }

    internal static string Substitute(string expr) => expr
        .Replace("${target:regex}", ".*", StringComparison.Ordinal)
        .Replace("${target}", ".*", StringComparison.Ordinal)
        .Replace("$target", ".*", StringComparison.Ordinal)
        .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
        .Replace("$__interval", "15s", StringComparison.Ordinal)
        .Replace("$__range", "5m", StringComparison.Ordinal);
}
