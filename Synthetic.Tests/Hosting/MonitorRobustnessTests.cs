using System.Diagnostics;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Hosting;

/// <summary>A hostile or dead target never stops the monitor, never starves other targets, never leaks a secret.</summary>
[Collection(SerialCollection.Name)]
public sealed class MonitorRobustnessTests
{
    private const string Marker = "SECRET-MARKER-7f3a9c1e5b";

    [Fact]
    public async Task HangingAndEndlessTargets_OtherTargetKeepsBeingProbed_MemoryBounded()
    {
        await using var healthy = await StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });
        await using var hanging = await StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });
        await using var endless = await StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });
        hanging.SetMode(new StandInMode("hang"));
        endless.SetMode(new StandInMode("oversized"));

        var config = TestMonitor.FastConfig(healthy.BaseUrl, "healthy");
        config["Synthetic:Targets:0:Health:Interval"] = "1s";
        config["Synthetic:Targets:0:Health:Timeout"] = "900ms";
        AddTarget(config, 1, "hanging", hanging.BaseUrl);
        AddTarget(config, 2, "endless", endless.BaseUrl);
        await using var monitor = await TestMonitor.StartAsync(config);

        await monitor.WaitForMetricsAsync(t => MetricsText.AtLeast(t, "synthetic_probe_runs_total", 2, ("target", "endless"), ("probe", "health"), ("outcome", "failure")),
            TimeSpan.FromSeconds(15), "endless target failing");
        var before = ManagedMemoryAfterFullCollection();
        var successBefore = await monitor.MetricAsync("synthetic_probe_runs_total", ("target", "healthy"), ("probe", "health"), ("outcome", "success")) ?? 0;

        // Several seconds of the hostile targets at two runs per second per check; the healthy one runs every second.
        await Task.Delay(TimeSpan.FromSeconds(6));

        var metrics = await monitor.MetricsAsync();
        var successAfter = MetricsText.Value(metrics, "synthetic_probe_runs_total", ("target", "healthy"), ("probe", "health"), ("outcome", "success")) ?? 0;
        Assert.True(successAfter - successBefore >= 4, $"healthy target passed only {successAfter - successBefore} times in 6 s; status: {await monitor.StatusAsync()}");
        Assert.True(MetricsText.AtLeast(metrics, "synthetic_probe_failures_total", 1, ("target", "hanging"), ("probe", "health"), ("reason", "timeout")));
        Assert.True(MetricsText.AtLeast(metrics, "synthetic_probe_failures_total", 1, ("target", "endless"), ("probe", "health"), ("reason", "invalid_body")));

        var growth = ManagedMemoryAfterFullCollection() - before;
        Assert.True(growth < 64 * 1024 * 1024, $"managed memory grew by {growth / (1024 * 1024)} MiB while probing an endless body");

        var healthz = await monitor.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.True(healthz.IsSuccessStatusCode);
    }

    [Fact]
    public async Task LicenseKeyMarker_NeverAppearsInLogsMetricsOrStatus()
    {
        await using var standIn = await StandInServer.StartAsync(new StandInOptions
        {
            FixturesPath = RepoPaths.Combine("fixtures", "audio"),
            LicenseKey = Marker,
        });
        var config = TestMonitor.FastConfig(standIn.BaseUrl, canary: true);
        config["Synthetic:Targets:0:LicenseKey"] = Marker;
        await using var monitor = await TestMonitor.StartAsync(config);
        await monitor.WaitForResultAsync("standin", "transcription", r => r.GetProperty("outcome").GetString() != "failure",
            TimeSpan.FromSeconds(15), "a passing canary (the key was sent and accepted)");

        // Failures are where secrets leak: auth errors, error bodies, exception texts.
        standIn.SetMode(new StandInMode("auth-401"));
        await monitor.WaitForResultAsync("standin", "transcription", r => r.GetProperty("reason").GetString() == "auth",
            TimeSpan.FromSeconds(15), "auth failure");
        standIn.SetMode(new StandInMode("reset"));
        await monitor.WaitForResultAsync("standin", "health", r => r.GetProperty("reason").GetString() == "connection",
            TimeSpan.FromSeconds(15), "connection failure");

        var metrics = await monitor.MetricsAsync();
        var status = (await monitor.StatusAsync()).ToString();
        Assert.DoesNotContain(Marker, metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(Marker, status, StringComparison.Ordinal);
        Assert.DoesNotContain(Marker, monitor.Logs.All, StringComparison.Ordinal);
        Assert.NotEmpty(monitor.Logs.Lines);
    }

    [Fact]
    public async Task Binary_BaseUrlFromEnvironment_ExportsHealthSuccess()
    {
        await using var standIn = await StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });
        var port = FreePort.Next();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(SyntheticBinary.Path);
        psi.Environment["Synthetic__Targets__0__BaseUrl"] = standIn.BaseUrl.ToString();
        psi.Environment["Synthetic__Listen"] = $"http://127.0.0.1:{port}";
        psi.Environment["Synthetic__Targets__0__Health__Interval"] = "1s";
        psi.Environment["Synthetic__Targets__0__Health__Timeout"] = "500ms";
        using var process = Process.Start(psi)!;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            string text = string.Empty;
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
                    if (MetricsText.Has(text, "synthetic_probe_success", 1, ("target", "smallest"), ("probe", "health")))
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(200);
            }

            Assert.Fail("synthetic_probe_success{probe=\"health\",target=\"smallest\"} 1 never appeared:\n" + text);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// One blocking full collection. Not GC.GetTotalMemory(forceFullCollection: true), which collects again and again
    /// until the heap settles: it does not settle while an endless body streams.
    /// </summary>
    private static long ManagedMemoryAfterFullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    private static void AddTarget(Dictionary<string, string?> config, int index, string name, Uri url)
    {
        var prefix = $"Synthetic:Targets:{index}:";
        config[prefix + "Name"] = name;
        config[prefix + "BaseUrl"] = url.ToString();
        config[prefix + "Health:Interval"] = "500ms";
        config[prefix + "Health:Timeout"] = "400ms";
        config[prefix + "Canary:Enabled"] = "false";
    }
}
