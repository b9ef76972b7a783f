using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
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
public sealed partial class RealStackTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string FalsePositiveAlert = "SyntheticHealthFalsePositive";
    private const string TargetDownAlert = "SyntheticTargetDown";
    private const string TranscriptionAlert = "SyntheticTranscriptionFailing";

    private readonly List<IAsyncDisposable> _cleanup = [];
    private readonly string _work = Directory.CreateTempSubdirectory("synthetic-stack-").FullName;
    private StandInServer _standIn = null!;
    private TestMonitor _monitor = null!;
    private WebhookReceiver _webhook = null!;
    private ProcessHost _prometheus = null!;
    private ProcessHost _alertmanager = null!;
    private Uri _prometheusUrl = null!;
    private Uri _alertmanagerUrl = null!;

    public async Task InitializeAsync()
    {
        var prometheusBinary = ExternalTool.Require("prometheus", "prometheus");
        var alertmanagerBinary = ExternalTool.Require("prometheus-alertmanager", "prometheus-alertmanager");

        _standIn = await StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });
        _cleanup.Add(_standIn);
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
        _cleanup.Add(_monitor);
        _webhook = await WebhookReceiver.StartAsync();
        _cleanup.Add(_webhook);

        var alertmanagerPort = FreePort.Next();
        File.WriteAllText(Path.Combine(_work, "alertmanager.yml"), AlertmanagerConfigForTest(_webhook.Url));
        _alertmanager = ProcessHost.Start(alertmanagerBinary,
        [
            "--config.file=" + Path.Combine(_work, "alertmanager.yml"), "--storage.path=" + Path.Combine(_work, "am-data"),
            $"--web.listen-address=127.0.0.1:{alertmanagerPort}", "--cluster.listen-address=",
        ], _work);
        _cleanup.Add(_alertmanager);
        _alertmanagerUrl = new Uri($"http://127.0.0.1:{alertmanagerPort}");

        var prometheusPort = FreePort.Next();
        File.WriteAllText(Path.Combine(_work, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {RepoPaths.Combine("prometheus", "rules.yml")}
            alerting:
              alertmanagers:
                - static_configs:
                    - targets: ["127.0.0.1:{alertmanagerPort}"]
            scrape_configs:
              - job_name: synthetic
                static_configs:
                  - targets: ["{_monitor.BaseUrl.Authority}"]
            """);
        _prometheus = ProcessHost.Start(prometheusBinary,
        [
            "--config.file=" + Path.Combine(_work, "prometheus.yml"), "--storage.tsdb.path=" + Path.Combine(_work, "prom-data"),
            $"--web.listen-address=127.0.0.1:{prometheusPort}",
        ], _work);
        _cleanup.Add(_prometheus);
        _prometheusUrl = new Uri($"http://127.0.0.1:{prometheusPort}");

        await _alertmanager.WaitReadyAsync(new Uri(_alertmanagerUrl, "/-/ready"), TimeSpan.FromSeconds(30));
        await _prometheus.WaitReadyAsync(new Uri(_prometheusUrl, "/-/ready"), TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }

        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task RealStack_DashboardQueries_FalsePositiveAlert_TargetDownInhibition()
    {
        // 1. Healthy baseline: Prometheus scrapes the monitor, every dashboard panel query returns data.
        await WaitForQueryAsync("up{job=\"synthetic\"} == 1", TimeSpan.FromSeconds(30));
        await WaitForQueryAsync("synthetic_probe_success{probe=\"transcription\"} == 1", TimeSpan.FromSeconds(30));
        await AssertEveryDashboardQueryReturnsDataAsync();

        // 2. False positive: health stays 200, transcription answers 500 → the critical alert reaches the webhook.
        var faultAt = _webhook.Now;
        _standIn.SetMode(new StandInMode("false-positive"));
        var firing = await _webhook.WaitForAsync(FalsePositiveAlert, "firing", faultAt, TimeSpan.FromMinutes(3), Context);
        Assert.Equal("smallest", firing.Labels["target"]);
        Assert.Equal("critical", firing.Labels["severity"]);
        Assert.Contains("runbook_url", firing.Annotations, StringComparison.Ordinal);
        output.WriteLine($"false-positive fault → firing notification: {(firing.At - faultAt).TotalSeconds:F1} s");

        var recoveredAt = _webhook.Now;
        _standIn.SetMode(new StandInMode("healthy"));
        var resolved = await _webhook.WaitForAsync(FalsePositiveAlert, "resolved", recoveredAt, TimeSpan.FromMinutes(2), Context);
        output.WriteLine($"recovery → resolved notification: {(resolved.At - recoveredAt).TotalSeconds:F1} s");

        // 3. Target down (connections reset): the health alert fires, the canary alert is inhibited.
        var downAt = _webhook.Now;
        _standIn.SetMode(new StandInMode("reset"));
        var down = await _webhook.WaitForAsync(TargetDownAlert, "firing", downAt, TimeSpan.FromMinutes(3), Context);
        output.WriteLine($"target down → {TargetDownAlert} notification: {(down.At - downAt).TotalSeconds:F1} s");
        await WaitForAlertStateAsync(TranscriptionAlert, "firing", TimeSpan.FromMinutes(3));
        await WaitForInhibitedAsync(TranscriptionAlert, TimeSpan.FromMinutes(1));
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(_webhook.Notifications, n => n.At >= downAt && n.Status == "firing" && n.Labels.GetValueOrDefault("alertname") == TranscriptionAlert);
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
                if (await CountAsync(query) == 0)
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

    private async Task<int> CountAsync(string query)
    {
        using var http = new HttpClient { BaseAddress = _prometheusUrl };
        var response = await http.GetFromJsonAsync<JsonElement>("/api/v1/query?query=" + Uri.EscapeDataString(query));
        Assert.True(response.GetProperty("status").GetString() == "success", $"query failed: {query}: {response}");
        var data = response.GetProperty("data");
        return data.GetProperty("resultType").GetString() is "vector" or "matrix" ? data.GetProperty("result").GetArrayLength() : 1;
    }

    private async Task WaitForQueryAsync(string query, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await CountAsync(query) > 0)
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"'{query}' returned nothing within {timeout}.\n{Context()}");
    }

    private async Task WaitForAlertStateAsync(string alert, string state, TimeSpan timeout)
    {
        await WaitForQueryAsync($"ALERTS{{alertname=\"{alert}\",alertstate=\"{state}\"}}", timeout);
    }

    private async Task WaitForInhibitedAsync(string alert, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = _alertmanagerUrl };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var alerts = await http.GetFromJsonAsync<JsonElement>($"/api/v2/alerts?filter=alertname%3D%22{alert}%22");
            if (alerts.EnumerateArray().Any(a => a.GetProperty("status").GetProperty("inhibitedBy").GetArrayLength() > 0))
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"{alert} was not inhibited in Alertmanager within {timeout}.\n{Context()}");
    }

    private string Context() =>
        $"--- prometheus ---\n{Tail(_prometheus.Output)}\n--- alertmanager ---\n{Tail(_alertmanager.Output)}";

    private static string Tail(string text) => text.Length > 3000 ? text[^3000..] : text;

    /// <summary>The shipped alertmanager.yml with the webhook pointed at this test and grouping timers shortened.</summary>
    private static string AlertmanagerConfigForTest(Uri webhook)
    {
        var shipped = File.ReadAllText(RepoPaths.Combine("prometheus", "alertmanager.yml"));
        var config = WebhookUrl().Replace(shipped, $"url: '{webhook}'");
        config = GroupWait().Replace(config, "${indent}group_wait: 1s");
        config = GroupInterval().Replace(config, "${indent}group_interval: 1s");
        config = RepeatInterval().Replace(config, "${indent}repeat_interval: 1h");
        Assert.Contains(webhook.ToString(), config, StringComparison.Ordinal);
        return config;
    }

    [GeneratedRegex(@"url:\s*['""]?http://[^\s'""]+['""]?")]
    private static partial Regex WebhookUrl();

    [GeneratedRegex(@"(?<indent>^\s*)group_wait:\s*\S+", RegexOptions.Multiline)]
    private static partial Regex GroupWait();

    [GeneratedRegex(@"(?<indent>^\s*)group_interval:\s*\S+", RegexOptions.Multiline)]
    private static partial Regex GroupInterval();

    [GeneratedRegex(@"(?<indent>^\s*)repeat_interval:\s*\S+", RegexOptions.Multiline)]
    private static partial Regex RepeatInterval();
}
