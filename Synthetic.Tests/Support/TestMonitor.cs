using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using Synthetic.Hosting;

namespace Synthetic.Tests.Support;

/// <summary>The real monitor, in-process, serving on a free loopback port; configuration given as keys.</summary>
internal sealed class TestMonitor : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestMonitor(WebApplication app, Uri baseUrl, CapturingLoggerProvider logs)
    {
        _app = app;
        BaseUrl = baseUrl;
        Logs = logs;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUrl { get; }

    public HttpClient Http { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Config for one target at <paramref name="targetUrl"/> with fast intervals; callers add or override keys.</summary>
    public static Dictionary<string, string?> FastConfig(Uri targetUrl, string name = "standin", bool canary = false)
    {
        return new Dictionary<string, string?>
        {
            ["Synthetic:Listen"] = "http://127.0.0.1:0",
            ["Synthetic:SpreadStart"] = "false",
            ["Synthetic:FixturesPath"] = RepoPaths.Combine("fixtures", "audio"),
            ["Synthetic:Targets:0:Name"] = name,
            ["Synthetic:Targets:0:BaseUrl"] = targetUrl.ToString(),
            ["Synthetic:Targets:0:Health:Interval"] = "500ms",
            ["Synthetic:Targets:0:Health:Timeout"] = "400ms",
            ["Synthetic:Targets:0:Canary:Enabled"] = canary ? "true" : "false",
            ["Synthetic:Targets:0:Canary:Interval"] = "1s",
            ["Synthetic:Targets:0:Canary:Timeout"] = "900ms",
            ["Synthetic:Targets:0:Canary:DegradedLatency"] = "800ms",
            ["Synthetic:Targets:0:Canary:MaxLatency"] = "850ms",
        };
    }

    /// <param name="configure">Runs after the monitor's own registrations (e.g. to constrain its scheduler).</param>
    public static async Task<TestMonitor> StartAsync(IDictionary<string, string?> config, Action<WebApplicationBuilder>? configure = null)
    {
        var logs = new CapturingLoggerProvider();
        var (app, errors) = SyntheticApp.CreateMonitor([], config, configure: builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(logs);
            configure?.Invoke(builder);
        });
        Assert.True(app is not null, "monitor did not start: " + string.Join("; ", errors));
        await app.StartAsync();
        // Quartz starts the scheduler after the application has started (AwaitApplicationStarted), a moment after
        // StartAsync returns, and /healthz answers 503 until then: under load a test's first /healthz came before it.
        // Bounded and not asserted: a test of a scheduler that cannot start asserts what it expects itself.
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        for (var waited = Stopwatch.StartNew(); scheduler.Status == SchedulerStatus.Created && waited.Elapsed < TimeSpan.FromSeconds(30);)
        {
            await Task.Delay(10);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestMonitor(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)), logs);
    }

    public Task<string> MetricsAsync() => Http.GetStringAsync("/metrics");

    public async Task<JsonElement> StatusAsync() => (await Http.GetFromJsonAsync<JsonElement>("/status"));

    /// <summary>The value of one sample in the exposition text, or null when absent.</summary>
    public async Task<double?> MetricAsync(string name, params (string Key, string Value)[] labels) =>
        MetricsText.Value(await MetricsAsync(), name, labels);

    /// <summary>Polls /metrics until the predicate holds; fails with the last text otherwise.</summary>
    public async Task<string> WaitForMetricsAsync(Func<string, bool> predicate, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var text = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            text = await MetricsAsync();
            if (predicate(text))
            {
                return text;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"timed out after {timeout} waiting for {what}. Last /metrics (synthetic_ lines):\n" +
                    string.Join('\n', text.Split('\n').Where(l => l.StartsWith("synthetic_probe_success", StringComparison.Ordinal) ||
                                                                 l.StartsWith("synthetic_probe_failures", StringComparison.Ordinal) ||
                                                                 l.StartsWith("synthetic_health_", StringComparison.Ordinal))));
        return text;
    }

    /// <summary>Waits until the check has a latest result satisfying the predicate, and returns it.</summary>
    public async Task<JsonElement> WaitForResultAsync(string target, string probe, Func<JsonElement, bool> predicate, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var status = await StatusAsync();
            var check = status.GetProperty("targets").EnumerateArray().First(t => t.GetProperty("name").GetString() == target)
                .GetProperty("checks").EnumerateArray().First(c => c.GetProperty("probe").GetString() == probe);
            last = check.GetProperty("latest");
            if (last.ValueKind == JsonValueKind.Object && predicate(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"timed out after {timeout} waiting for {target}/{probe} {what}; last result: {last}");
        return last;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>Reads sample values out of Prometheus exposition text.</summary>
internal static class MetricsText
{
    public static double? Value(string text, string name, params (string Key, string Value)[] labels)
    {
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length <= name.Length || (line[name.Length] != '{' && line[name.Length] != ' '))
            {
                continue;
            }

            if (labels.All(l => line.Contains($"{l.Key}=\"{l.Value}\"", StringComparison.Ordinal)))
            {
                var value = line[(line.LastIndexOf(' ') + 1)..].Trim();
                return double.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    public static bool Has(string text, string name, double expected, params (string Key, string Value)[] labels) =>
        Value(text, name, labels) is { } v && Math.Abs(v - expected) < 1e-9;

    public static bool AtLeast(string text, string name, double minimum, params (string Key, string Value)[] labels) =>
        Value(text, name, labels) is { } v && v >= minimum;
}
