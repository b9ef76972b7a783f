using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Observability;

/// <summary>A live /metrics output, with every probe kind and a failure reason present, passes promtool's linter.</summary>
public sealed class MetricsLintTests
{
    [Fact]
    public async Task LiveMetrics_PromtoolCheckMetrics_ReportsNothing()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        await using var standIn = await StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });
        var config = TestMonitor.FastConfig(standIn.BaseUrl, canary: true);
        config["Synthetic:Targets:0:Labels:env"] = "test";
        await using var monitor = await TestMonitor.StartAsync(config);
        await monitor.WaitForResultAsync("standin", "transcription", r => r.GetProperty("outcome").GetString() != "failure",
            TimeSpan.FromSeconds(20), "a canary run");
        standIn.SetMode(new StandInMode("component-down"));
        await monitor.WaitForMetricsAsync(t => t.Contains("synthetic_probe_failures_total{", StringComparison.Ordinal), TimeSpan.FromSeconds(20),
            "a failure series");

        var metrics = await monitor.MetricsAsync();
        var result = await ExternalTool.RunAsync(promtool, ["check", "metrics"], standardInput: metrics);

        Assert.True(result.ExitCode == 0, $"promtool check metrics exit {result.ExitCode}: {result.Combined}");
        Assert.Equal(string.Empty, result.Combined.Trim());
        foreach (var name in new[]
                 {
                     "synthetic_probe_success", "synthetic_probe_duration_seconds_bucket", "synthetic_http_phase_duration_seconds",
                     "synthetic_target_component_healthy", "synthetic_canary_word_error_rate", "synthetic_health_false_positive",
                     "synthetic_build_info", "synthetic_target_labels",
                 })
        {
            Assert.Contains(name, metrics, StringComparison.Ordinal);
        }
    }
}
