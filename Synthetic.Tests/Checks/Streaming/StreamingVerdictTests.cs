using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Checks.Streaming;

/// <summary>The false positive this canary exists for: the stream is refused while /health and POST /v1/listen both work.</summary>
public sealed class StreamingVerdictTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task StreamBroken_HealthAndBatchCanaryPass_FalsePositiveNamesStreamingThenClears()
    {
        await using var standIn = await StreamingTestConfig.StartStandInAsync();
        var config = StreamingTestConfig.ForDialects(standIn.BaseUrl, ["smallest-stream"]);
        config["Synthetic:Targets:0:Canary:Enabled"] = "true";
        config["Synthetic:Targets:0:Canary:Interval"] = "3s";
        config["Synthetic:Targets:0:Canary:Timeout"] = "2500ms";
        await using var monitor = await TestMonitor.StartAsync(config);
        const string target = "smallest_stream";
        await monitor.WaitForResultAsync(target, "streaming", r => r.GetProperty("outcome").GetString() == "success", Wait, "healthy stream");

        standIn.SetMode(new StandInMode("stream-broken"));
        var metrics = await monitor.WaitForMetricsAsync(t => MetricsText.Has(t, "synthetic_health_false_positive", 1, ("target", target)),
            Wait, "false positive from the streaming path");
        var transcription = await monitor.WaitForResultAsync(target, "transcription", _ => true, Wait, "a batch result");
        var streaming = await monitor.WaitForResultAsync(target, "streaming", _ => true, Wait, "a streaming result");

        Assert.Equal("success", transcription.GetProperty("outcome").GetString());
        Assert.Equal("http_5xx", streaming.GetProperty("reason").GetString());
        Assert.True(MetricsText.Has(metrics, "synthetic_probe_success", 1, ("target", target), ("probe", "transcription")));
        Assert.True(MetricsText.Has(metrics, "synthetic_probe_success", 1, ("target", target), ("probe", "health")));
        Assert.True(MetricsText.Has(metrics, "synthetic_probe_success", 0, ("target", target), ("probe", "streaming")));
        var verdict = (await monitor.StatusAsync()).GetProperty("targets")[0].GetProperty("verdict");
        var explanation = verdict.GetProperty("explanation").GetString()!;
        Assert.Contains("streaming fails (http_5xx)", explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("transcription fails", explanation, StringComparison.Ordinal);
        Assert.Equal(502, streaming.GetProperty("streams")[0].GetProperty("statusCode").GetInt32());

        standIn.SetMode(new StandInMode("healthy"));
        await monitor.WaitForMetricsAsync(t => MetricsText.Has(t, "synthetic_health_false_positive", 0, ("target", target)), Wait, "verdict cleared");
    }
}
