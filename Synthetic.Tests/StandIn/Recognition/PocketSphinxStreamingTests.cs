using System.Globalization;
using Synthetic.Audio;
using Synthetic.Tests.Checks.Streaming;
using Synthetic.Tests.Support;
using Xunit.Abstractions;

namespace Synthetic.Tests.StandIn.Recognition;

/// <summary>
/// The monitor's streaming canary against the stand-in with <c>--recognizer pocketsphinx</c>: its sessions re-decode
/// the audio so far every 0.5 s, so the partials are real recognitions of a growing prefix and the final is a real
/// decode of the whole clip, scored against the sample's own manifest thresholds (Streaming sets no MaxWer).
/// </summary>
[Collection(RealRecognitionCollection.Name)]
public sealed class PocketSphinxStreamingTests(RealRecognitionStandIn standIn, ITestOutputHelper output)
{
    private const string Sample = "quick-brown-fox";

    // At 2× real time the 3.1 s clip takes ~1.6 s to send: three re-decodes while it arrives.
    private const double Pace = 2;

    private static readonly string[] Dialects = ["smallest-stream", "openai-realtime"];

    [Fact]
    public async Task StreamingCanary_RealRecognizer_PartialsBeforeTheFinalAndWerWithinTheSampleThreshold()
    {
        var (clips, errors) = ClipLibrary.Load(RepoPaths.Combine("fixtures", "audio"), new Dictionary<string, string> { [Sample] = "test" });
        Assert.Empty(errors);
        var clip = clips![Sample];
        Assert.NotNull(clip.MaxWer);
        var config = StreamingTestConfig.ForDialects(standIn.Server.BaseUrl, Dialects);
        for (var i = 0; i < Dialects.Length; i++)
        {
            var p = $"Synthetic:Targets:{i}:Streaming:";
            config[p + "Interval"] = "60s";
            config[p + "Timeout"] = "20s";
            config[p + "Pace"] = Pace.ToString(CultureInfo.InvariantCulture);
            config[p + "MaxTimeToFirstTranscript"] = "10s";
            config[p + "DegradedTimeToFirstTranscript"] = "9s";
            config[p + "MaxFinalizeLatency"] = "15s";
            config[p + "DegradedFinalizeLatency"] = "14s";
        }

        await using var monitor = await TestMonitor.StartAsync(config);

        var sendMs = clip.TrueDuration.TotalMilliseconds / Pace;
        foreach (var dialect in Dialects)
        {
            var result = await monitor.WaitForResultAsync(StreamingTestConfig.TargetOf(dialect), "streaming", _ => true, TimeSpan.FromSeconds(60),
                $"{dialect}: a streaming run");
            var stream = result.GetProperty("streams")[0];
            var ttft = stream.GetProperty("timeToFirstTranscriptMs").GetDouble();
            var finalize = stream.GetProperty("finalizeLatencyMs").GetDouble();
            var partials = stream.GetProperty("partials").GetInt32();
            var wer = stream.GetProperty("wordErrorRate").GetDouble();
            output.WriteLine($"{dialect}: {partials} partials, TTFT {ttft:F0} ms, final {finalize:F0} ms after the last audio " +
                $"(~{sendMs + finalize:F0} ms after the first), WER {wer:F2} (max {clip.MaxWer:F2}): \"{stream.GetProperty("transcript").GetString()}\"");

            Assert.True(result.GetProperty("outcome").GetString() is "success" or "degraded", $"{dialect}: {result}");
            Assert.True(partials >= 1, $"{dialect}: no partial before the final: {stream}");
            // The first transcript came while the audio was still being sent, well before the final.
            Assert.True(ttft < sendMs + finalize, $"{dialect}: first transcript {ttft} ms not before the final at ~{sendMs + finalize} ms");
            Assert.True(ttft < sendMs, $"{dialect}: first partial {ttft} ms only after the audio ended ({sendMs} ms)");
            Assert.True(wer <= clip.MaxWer, $"{dialect}: WER {wer} above the sample's maxWer {clip.MaxWer}: {stream}");
        }
    }
}
