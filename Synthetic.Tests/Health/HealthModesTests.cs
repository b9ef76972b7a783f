using System.Text.Json;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Health;

/// <summary>Every health mode of the stand-in, over real loopback HTTP, seen in /metrics and /status.</summary>
public sealed class HealthModesTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private StandInServer _standIn = null!;
    private TestMonitor _monitor = null!;

    public async Task InitializeAsync()
    {
        _standIn = await StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });
        _monitor = await TestMonitor.StartAsync(TestMonitor.FastConfig(_standIn.BaseUrl));
    }

    public async Task DisposeAsync()
    {
        await _monitor.DisposeAsync();
        await _standIn.DisposeAsync();
    }

    [Fact]
    public async Task Healthy_AllHealthChecks_Succeed()
    {
        _standIn.SetMode(new StandInMode("healthy"));
        foreach (var probe in new[] { "health", "health_detailed", "component_asr", "component_license", "component_redis" })
        {
            await _monitor.WaitForResultAsync("standin", probe, r => r.GetProperty("outcome").GetString() == "success", Wait, "success");
        }

        var metrics = await _monitor.MetricsAsync();
        Assert.True(MetricsText.Has(metrics, "synthetic_probe_success", 1, ("target", "standin"), ("probe", "health")));
        Assert.True(MetricsText.Has(metrics, "synthetic_target_component_healthy", 1, ("target", "standin"), ("component", "license_proxy")));
        Assert.True(MetricsText.Has(metrics, "synthetic_target_info", 1, ("target", "standin"), ("version", "1.0.0-standin")));
        Assert.NotNull(MetricsText.Value(metrics, "synthetic_target_uptime_seconds", ("target", "standin")));
        foreach (var phase in new[] { "dns", "connect", "request", "processing", "transfer" })
        {
            Assert.NotNull(MetricsText.Value(metrics, "synthetic_http_phase_duration_seconds", ("target", "standin"), ("probe", "health"), ("phase", phase)));
        }
    }

    [Theory]
    [InlineData("unhealthy", 0, "unhealthy")]
    [InlineData("unhealthy-body", 0, "unhealthy")]
    [InlineData("slow", 1500, "timeout")]
    [InlineData("hang", 0, "timeout")]
    [InlineData("garbage", 0, "invalid_body")]
    [InlineData("oversized", 0, "invalid_body")]
    [InlineData("reset", 0, "connection")]
    public async Task Mode_PlainHealth_FailsWithReason(string mode, int delayMs, string reason)
    {
        _standIn.SetMode(new StandInMode(mode, delayMs));
        var result = await _monitor.WaitForResultAsync("standin", "health",
            r => r.GetProperty("outcome").GetString() == "failure" && r.GetProperty("reason").GetString() == reason, Wait, $"failure/{reason}");
        Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("detail").GetString()));

        var metrics = await _monitor.WaitForMetricsAsync(
            t => MetricsText.Has(t, "synthetic_probe_success", 0, ("target", "standin"), ("probe", "health")) &&
                 MetricsText.AtLeast(t, "synthetic_probe_failures_total", 1, ("target", "standin"), ("probe", "health"), ("reason", reason)),
            Wait, $"synthetic_probe_failures_total reason={reason}");
        Assert.True(MetricsText.AtLeast(metrics, "synthetic_probe_runs_total", 1, ("target", "standin"), ("probe", "health"), ("outcome", "failure")));
    }

    [Fact]
    public async Task ComponentDown_DetailedAndComponentFail_PlainHealthStillPasses()
    {
        _standIn.SetMode(new StandInMode("component-down"));
        await _monitor.WaitForResultAsync("standin", "health_detailed",
            r => r.GetProperty("reason").ValueKind == JsonValueKind.String && r.GetProperty("reason").GetString() == "unhealthy", Wait, "detailed unhealthy");
        await _monitor.WaitForResultAsync("standin", "component_license",
            r => r.GetProperty("outcome").GetString() == "failure", Wait, "component_license failure");
        await _monitor.WaitForResultAsync("standin", "health", r => r.GetProperty("outcome").GetString() == "success", Wait, "plain health success");
        await _monitor.WaitForMetricsAsync(
            t => MetricsText.Has(t, "synthetic_target_component_healthy", 0, ("target", "standin"), ("component", "license_proxy")) &&
                 MetricsText.Has(t, "synthetic_target_component_healthy", 1, ("target", "standin"), ("component", "redis")),
            Wait, "license_proxy component gauge 0");
    }

    [Fact]
    public async Task Restart_UptimeGoesBackwards_CountsRestart()
    {
        _standIn.SetMode(new StandInMode("healthy"));
        await _monitor.WaitForMetricsAsync(t => MetricsText.AtLeast(t, "synthetic_target_uptime_seconds", 1, ("target", "standin")),
            TimeSpan.FromSeconds(20), "uptime of at least 1 s");
        _standIn.Restart();
        await _monitor.WaitForMetricsAsync(t => MetricsText.AtLeast(t, "synthetic_target_restarts_total", 1, ("target", "standin")),
            Wait, "a counted restart");
    }

    [Fact]
    public async Task Healthz_SchedulerRunning_ReportsHealthy()
    {
        await _monitor.WaitForResultAsync("standin", "health", _ => true, Wait, "any result");
        var response = await _monitor.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
