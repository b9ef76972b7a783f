using System.Diagnostics;
using System.Text.Json;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Transcription;

/// <summary>The transcription canary against the stand-in over loopback HTTP: every dialect, every transcription mode.</summary>
public sealed class CanaryEndToEndTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("smallest-listen")]
    [InlineData("smallest-get-text")]
    [InlineData("pulse")]
    [InlineData("openai")]
    public async Task Dialect_HealthyStandIn_TranscribesEverySampleWithWerZero(string dialect)
    {
        await using var standIn = await StartStandInAsync("dialect-key-0042");
        var config = CanaryConfig(standIn);
        config["Synthetic:Targets:0:LicenseKey"] = "dialect-key-0042";
        config["Synthetic:Targets:0:Canary:Dialect"] = dialect;
        config["Synthetic:Targets:0:Canary:Samples:0"] = "quick-brown-fox";
        config["Synthetic:Targets:0:Canary:Samples:1"] = "numbers-dates";
        config["Synthetic:Targets:0:Canary:Samples:2"] = "near-silence";
        await using var monitor = await TestMonitor.StartAsync(config);

        var result = await monitor.WaitForResultAsync("standin", "transcription", r => r.GetProperty("outcome").GetString() == "success", Wait,
            $"{dialect} success");
        var samples = result.GetProperty("samples").EnumerateArray().ToList();
        Assert.Equal(3, samples.Count);
        Assert.All(samples, s => Assert.Equal(0, s.GetProperty("wordErrorRate").GetDouble()));
        Assert.Contains("quick brown fox", samples[0].GetProperty("transcript").GetString()!, StringComparison.OrdinalIgnoreCase);

        var metrics = await monitor.MetricsAsync();
        Assert.True(MetricsText.Has(metrics, "synthetic_probe_success", 1, ("target", "standin"), ("probe", "transcription")));
        Assert.True(MetricsText.Has(metrics, "synthetic_canary_word_error_rate", 0, ("target", "standin"), ("sample", "numbers-dates")));
        Assert.True(MetricsText.Value(metrics, "synthetic_canary_real_time_factor", ("target", "standin"), ("sample", "quick-brown-fox")) > 0);
        Assert.StartsWith("synthetic-standin-", standIn.Stats.LastRequestId, StringComparison.Ordinal);
        Assert.Equal(dialect is "pulse" or "openai" ? "Bearer" : "Token", standIn.Stats.LastAuthorizationScheme);
    }

    [Theory]
    [InlineData("false-positive", 0, "http_5xx")]
    [InlineData("wrong-transcript", 0, "wer_exceeded")]
    [InlineData("empty-transcript", 0, "empty_transcript")]
    [InlineData("slow-transcription", 1300, "latency_exceeded")]
    [InlineData("slow-transcription", 3000, "timeout")]
    [InlineData("auth-401", 0, "auth")]
    [InlineData("license-expired", 0, "auth")]
    [InlineData("rate-limited", 0, "rate_limited")]
    [InlineData("unsupported-format", 0, "audio_rejected")]
    [InlineData("wrong-duration", 0, "duration_mismatch")]
    [InlineData("unavailable", 0, "http_5xx")]
    public async Task Mode_Canary_FailsWithReason(string mode, int delayMs, string reason)
    {
        await using var standIn = await StartStandInAsync();
        standIn.SetMode(new StandInMode(mode, delayMs, RetryAfterSeconds: 1));
        await using var monitor = await TestMonitor.StartAsync(CanaryConfig(standIn));

        var result = await monitor.WaitForResultAsync("standin", "transcription", r => r.GetProperty("reason").GetString() == reason, Wait,
            $"failure/{reason}");
        Assert.Equal("failure", result.GetProperty("outcome").GetString());
        var metrics = await monitor.WaitForMetricsAsync(
            t => MetricsText.AtLeast(t, "synthetic_probe_failures_total", 1, ("target", "standin"), ("probe", "transcription"), ("reason", reason)),
            Wait, $"failures_total reason={reason}");
        Assert.True(MetricsText.Has(metrics, "synthetic_probe_success", 0, ("target", "standin"), ("probe", "transcription")));
        if (reason == "wer_exceeded")
        {
            var diff = result.GetProperty("samples")[0].GetProperty("diff").GetString();
            Assert.Contains("[", diff, StringComparison.Ordinal);
            Assert.True(MetricsText.Value(metrics, "synthetic_canary_word_error_rate", ("target", "standin"), ("sample", "quick-brown-fox")) > 0.25);
        }
    }

    [Fact]
    public async Task SlowButWithinMax_Canary_IsDegradedAndCountsAsPassing()
    {
        await using var standIn = await StartStandInAsync();
        standIn.SetMode(new StandInMode("slow-transcription", 700));
        await using var monitor = await TestMonitor.StartAsync(CanaryConfig(standIn));

        await monitor.WaitForResultAsync("standin", "transcription", r => r.GetProperty("outcome").GetString() == "degraded", Wait, "degraded");
        var metrics = await monitor.MetricsAsync();
        Assert.True(MetricsText.Has(metrics, "synthetic_probe_success", 1, ("target", "standin"), ("probe", "transcription")));
        Assert.True(MetricsText.Has(metrics, "synthetic_probe_degraded", 1, ("target", "standin"), ("probe", "transcription")));
    }

    [Fact]
    public async Task RateLimited_RetryAfter_NextRunsAreSkippedAndCounted()
    {
        await using var standIn = await StartStandInAsync();
        standIn.SetMode(new StandInMode("rate-limited", RetryAfterSeconds: 4));
        await using var monitor = await TestMonitor.StartAsync(CanaryConfig(standIn));

        await monitor.WaitForResultAsync("standin", "transcription", r => r.GetProperty("reason").GetString() == "rate_limited", Wait, "rate limited");
        var before = standIn.Stats.TranscriptionRequests;
        await monitor.WaitForMetricsAsync(t => MetricsText.AtLeast(t, "synthetic_probe_skipped_total", 1, ("target", "standin"), ("probe", "transcription")),
            Wait, "a skipped canary run while backing off");
        Assert.Equal(before, standIn.Stats.TranscriptionRequests);
    }

    [Fact]
    public async Task HealthFailsButTranscriptionWorks_FalseNegativeVerdict()
    {
        await using var standIn = await StartStandInAsync();
        standIn.SetMode(new StandInMode("unhealthy-body"));
        await using var monitor = await TestMonitor.StartAsync(CanaryConfig(standIn));
        await monitor.WaitForMetricsAsync(t => MetricsText.Has(t, "synthetic_health_false_negative", 1, ("target", "standin")) &&
                                               MetricsText.Has(t, "synthetic_health_false_positive", 0, ("target", "standin")),
            Wait, "false negative");
    }

    [Fact]
    public async Task TargetDown_CanaryRetriesOnceOnConnectionError_EveryAttemptCounted()
    {
        var deadPort = FreePort.Next();
        var config = TestMonitor.FastConfig(new Uri($"http://127.0.0.1:{deadPort}/"), canary: true);
        config["Synthetic:Targets:0:Health:Enabled"] = "false";
        await using var monitor = await TestMonitor.StartAsync(config);
        var metrics = await monitor.WaitForMetricsAsync(
            t => MetricsText.AtLeast(t, "synthetic_probe_runs_total", 2, ("target", "standin"), ("probe", "transcription"), ("outcome", "failure")),
            Wait, "two failed canary runs");
        var runs = MetricsText.Value(metrics, "synthetic_probe_runs_total", ("target", "standin"), ("probe", "transcription"), ("outcome", "failure"))!.Value;
        var attempts = MetricsText.Value(metrics, "synthetic_probe_attempts_total", ("target", "standin"), ("probe", "transcription"))!.Value;
        Assert.True(attempts >= 2 * runs, $"{attempts} attempts for {runs} runs: each run should try twice");
        Assert.True(MetricsText.AtLeast(metrics, "synthetic_probe_failures_total", 2, ("target", "standin"), ("probe", "transcription"), ("reason", "connection")));
    }

    internal static Task<StandInServer> StartStandInAsync(string? key = null) =>
        StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio"), LicenseKey = key });

    /// <summary>Canary every 3 s, latency degraded above 0.5 s and failed above 1 s, timeout 2.5 s.</summary>
    internal static Dictionary<string, string?> CanaryConfig(StandInServer standIn)
    {
        var config = TestMonitor.FastConfig(standIn.BaseUrl, canary: true);
        config["Synthetic:Targets:0:Canary:Interval"] = "3s";
        config["Synthetic:Targets:0:Canary:Timeout"] = "2500ms";
        config["Synthetic:Targets:0:Canary:DegradedLatency"] = "500ms";
        config["Synthetic:Targets:0:Canary:MaxLatency"] = "1s";
        return config;
    }
}
