using System.Text.Json;
using Synthetic.StandIn;
using Synthetic.Tests.StandIn.Recognition;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Checks.Transcription;

/// <summary>
/// The real-recognition tier: the monitor's canary against the stand-in with <c>--recognizer pocketsphinx</c>,
/// at the thresholds shipped in the manifest (the target sets no MaxWer/DegradedWer).
/// </summary>
[Collection(RealRecognitionCollection.Name)]
public sealed class RealRecognitionCanaryTests(RealRecognitionStandIn standIn) : IDisposable
{
    private const string Target = "standin";

    internal static readonly string[] SpeechClips =
        ["quick-brown-fox", "numbers-dates", "long-passage", "second-voice", "third-voice", "human-go-forward", "human-young-man"];

    public void Dispose() => standIn.Server.SetMode(StandInMode.Healthy);

    [Fact]
    public async Task Canary_EverySpeechClip_PassesThreeRunsInARow()
    {
        await using var monitor = await TestMonitor.StartAsync(Config(SpeechClips, intervalSeconds: 21));

        var metrics = await monitor.WaitForMetricsAsync(
            t => Runs(t, "success") + Runs(t, "degraded") + Runs(t, "failure") >= 3, TimeSpan.FromMinutes(4), "three canary runs");

        var status = await monitor.StatusAsync();
        Assert.True(Runs(metrics, "success") >= 3, "not every run succeeded: " + Latest(status));
        Assert.Equal(0, Runs(metrics, "degraded"));
        Assert.Equal(0, Runs(metrics, "failure"));
        foreach (var clip in SpeechClips)
        {
            var wer = MetricsText.Value(metrics, "synthetic_canary_word_error_rate", ("target", Target), ("sample", clip));
            var degraded = MetricsText.Value(metrics, "synthetic_canary_degraded_wer", ("target", Target), ("sample", clip));
            Assert.True(wer is not null && degraded is not null && wer <= degraded, $"{clip}: WER {wer} over its DegradedWer {degraded}");
        }
    }

    [Fact]
    public async Task Canary_TelephonyAnd44kVariantOfEveryClip_PassesAtTheirShippedThresholds()
    {
        string[] variants = [.. SpeechClips.SelectMany(id => new[] { id + "@telephony", id + "@44k" })];
        await using var monitor = await TestMonitor.StartAsync(Config(variants, intervalSeconds: 21));

        var result = await monitor.WaitForResultAsync(Target, "transcription", _ => true, TimeSpan.FromMinutes(3), "a first canary run");

        Assert.True(result.GetProperty("outcome").GetString() == "success", "variant run not successful: " + result);
        Assert.Equal(variants, result.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("sample").GetString()));
    }

    [Theory]
    [InlineData(ModeNames.WrongSampleRate, "wer_exceeded")]
    [InlineData(ModeNames.Truncated, "wer_exceeded")]
    [InlineData(ModeNames.SilenceDecoder, "empty_transcript")]
    public async Task RecognitionFault_Canary_FailsWithReasonAndFalsePositiveVerdict(string mode, string reason)
    {
        standIn.Server.SetMode(new StandInMode(mode));
        // second-voice has the tightest MaxWer (0.40): half its words lost is clearly above it.
        await using var monitor = await TestMonitor.StartAsync(Config(["second-voice"], intervalSeconds: 30));

        var result = await monitor.WaitForResultAsync(Target, "transcription", _ => true, TimeSpan.FromSeconds(90), "a first canary run");

        Assert.Equal("failure", result.GetProperty("outcome").GetString());
        Assert.Equal(reason, result.GetProperty("reason").GetString());
        await monitor.WaitForMetricsAsync(t => MetricsText.Has(t, "synthetic_health_false_positive", 1, ("target", Target)),
            TimeSpan.FromSeconds(30), $"synthetic_health_false_positive 1 under {mode}");
    }

    private Dictionary<string, string?> Config(string[] samples, int intervalSeconds)
    {
        var config = TestMonitor.FastConfig(standIn.Server.BaseUrl, Target, canary: true);
        config["Synthetic:Targets:0:Canary:Interval"] = $"{intervalSeconds}s";
        // Real decoding takes a good part of the audio's duration on a loaded machine: latency is not what this tier
        // tests, so the latency limits sit just under the per-sample timeout (which must be shorter than the interval).
        config["Synthetic:Targets:0:Canary:Timeout"] = $"{intervalSeconds - 1}s";
        config["Synthetic:Targets:0:Canary:MaxLatency"] = $"{intervalSeconds - 2}s";
        config["Synthetic:Targets:0:Canary:DegradedLatency"] = $"{intervalSeconds - 3}s";
        for (var i = 0; i < samples.Length; i++)
        {
            config[$"Synthetic:Targets:0:Canary:Samples:{i}"] = samples[i];
        }

        return config;
    }

    private static double Runs(string metrics, string outcome) =>
        MetricsText.Value(metrics, "synthetic_probe_runs_total", ("target", Target), ("probe", "transcription"), ("outcome", outcome)) ?? 0;

    private static string Latest(JsonElement status) =>
        status.GetProperty("targets")[0].GetProperty("checks").EnumerateArray()
            .First(c => c.GetProperty("probe").GetString() == "transcription").GetProperty("latest").ToString();
}
