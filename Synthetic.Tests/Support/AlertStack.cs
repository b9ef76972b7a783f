using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Synthetic.Tests.Support;

/// <summary>
/// Debian's Prometheus and Alertmanager on 127.0.0.1 free ports with the shipped rules and routing, scraping the
/// given monitors (one scrape target each, so each has its own <c>instance</c>) every second, and a
/// <see cref="WebhookReceiver"/> as Alertmanager's receiver. Only Alertmanager's grouping timers are shortened (a
/// test cannot wait 5 min for group_interval); routes, receivers, inhibitions and every rule are the shipped ones.
/// </summary>
internal sealed partial class AlertStack : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _cleanup = [];
    private readonly string _work = Directory.CreateTempSubdirectory("synthetic-stack-").FullName;
    private ProcessHost _prometheus = null!;
    private ProcessHost _alertmanager = null!;

    private AlertStack()
    {
    }

    public WebhookReceiver Webhook { get; private set; } = null!;

    public Uri PrometheusUrl { get; private set; } = null!;

    public Uri AlertmanagerUrl { get; private set; } = null!;

    public static async Task<AlertStack> StartAsync(IEnumerable<Uri> monitors)
    {
        var prometheusBinary = ExternalTool.Require("prometheus", "prometheus");
        var alertmanagerBinary = ExternalTool.Require("prometheus-alertmanager", "prometheus-alertmanager");
        var stack = new AlertStack();
        try
        {
            await stack.StartAsync(prometheusBinary, alertmanagerBinary, monitors);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync(string prometheusBinary, string alertmanagerBinary, IEnumerable<Uri> monitors)
    {
        Webhook = await WebhookReceiver.StartAsync();
        _cleanup.Add(Webhook);

        var alertmanagerPort = FreePort.Next();
        File.WriteAllText(Path.Combine(_work, "alertmanager.yml"), AlertmanagerConfigForTest(Webhook.Url));
        _alertmanager = ProcessHost.Start(alertmanagerBinary,
        [
            "--config.file=" + Path.Combine(_work, "alertmanager.yml"), "--storage.path=" + Path.Combine(_work, "am-data"),
            $"--web.listen-address=127.0.0.1:{alertmanagerPort}", "--cluster.listen-address=",
        ], _work);
        _cleanup.Add(_alertmanager);
        AlertmanagerUrl = new Uri($"http://127.0.0.1:{alertmanagerPort}");

        var prometheusPort = FreePort.Next();
        var targets = string.Join(", ", monitors.Select(m => $"\"{m.Authority}\""));
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
                  - targets: [{targets}]
            """);
        _prometheus = ProcessHost.Start(prometheusBinary,
        [
            "--config.file=" + Path.Combine(_work, "prometheus.yml"), "--storage.tsdb.path=" + Path.Combine(_work, "prom-data"),
            $"--web.listen-address=127.0.0.1:{prometheusPort}",
        ], _work);
        _cleanup.Add(_prometheus);
        PrometheusUrl = new Uri($"http://127.0.0.1:{prometheusPort}");

        await _alertmanager.WaitReadyAsync(new Uri(AlertmanagerUrl, "/-/ready"), TimeSpan.FromSeconds(30));
        await _prometheus.WaitReadyAsync(new Uri(PrometheusUrl, "/-/ready"), TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }

        Directory.Delete(_work, recursive: true);
    }

    /// <summary>The number of series (or 1 for a scalar) an instant query returns.</summary>
    public async Task<int> CountAsync(string query)
    {
        using var http = new HttpClient { BaseAddress = PrometheusUrl };
        var response = await http.GetFromJsonAsync<JsonElement>("/api/v1/query?query=" + Uri.EscapeDataString(query));
        Assert.True(response.GetProperty("status").GetString() == "success", $"query failed: {query}: {response}");
        var data = response.GetProperty("data");
        return data.GetProperty("resultType").GetString() is "vector" or "matrix" ? data.GetProperty("result").GetArrayLength() : 1;
    }

    public async Task WaitForQueryAsync(string query, TimeSpan timeout)
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

    public Task WaitForAlertStateAsync(string alert, string state, TimeSpan timeout) =>
        WaitForQueryAsync($"ALERTS{{alertname=\"{alert}\",alertstate=\"{state}\"}}", timeout);

    /// <summary>The alerts Alertmanager holds under this name (active, suppressed or not).</summary>
    public async Task<List<JsonElement>> AlertmanagerAlertsAsync(string alert)
    {
        using var http = new HttpClient { BaseAddress = AlertmanagerUrl };
        var alerts = await http.GetFromJsonAsync<JsonElement>($"/api/v2/alerts?filter=alertname%3D%22{alert}%22");
        return [.. alerts.EnumerateArray()];
    }

    public async Task WaitForInhibitedAsync(string alert, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await AlertmanagerAlertsAsync(alert)).Any(a => a.GetProperty("status").GetProperty("inhibitedBy").GetArrayLength() > 0))
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"{alert} was not inhibited in Alertmanager within {timeout}.\n{Context()}");
    }

    public string Context() =>
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
