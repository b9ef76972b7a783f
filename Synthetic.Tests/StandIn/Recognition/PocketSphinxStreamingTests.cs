using System.Globalization;
using System.Text.Json;
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

    // At real time the 3.1 s clip takes 3.1 s to send: six re-decodes of the audio so far while it arrives (at Pace 2,
    // on a loaded machine, the re-decodes of a 1.6 s stream could all land after the final).
    private const double Pace = 1;

    private static readonly string[] Dialects = ["smallest-stream", "openai-realtime"];

    private readonly HashSet<string> _printed = new(StringComparer.Ordinal);

    [Fact]
    public async Task StreamingCanary_RealRecognizer_PartialsBeforeTheFinalAndWerWithinTheSampleThreshold()
    {
        var (clips, errors) = ClipLibrary.Load(RepoPaths.Combine("fixtures", "audio"), new Dictionary<string, string> { [Sample] = "test" });
        Assert.Empty(errors);
        var clip = clips![Sample];
        Assert.NotNull(clip.MaxWer);
        var sendMs = clip.TrueDuration.TotalMilliseconds / Pace;
        foreach (var dialect in Dialects)
        {
            // One dialect at a time: the recognizer decodes one request at a time, and two streams at once on a busy
            // 2-core machine would queue the partials' re-decodes behind each other's finals.
            var config = StreamingTestConfig.ForDialects(standIn.Server.BaseUrl, [dialect]);
            const string p = "Synthetic:Targets:0:Streaming:";
            config[p + "Interval"] = "10s";
            config[p + "Timeout"] = "9s";
            config[p + "Pace"] = Pace.ToString(CultureInfo.InvariantCulture);
            config[p + "MaxTimeToFirstTranscript"] = "6s";
            config[p + "DegradedTimeToFirstTranscript"] = "5s";
            config[p + "MaxFinalizeLatency"] = "5s";
            config[p + "DegradedFinalizeLatency"] = "4s";
            await using var monitor = await TestMonitor.StartAsync(config);
            // The first stream of a fresh monitor pays for JIT, and a decode can stall behind other processes on the
            // shared machine: a later run may be the one that shows partials (each run is printed).
            var result = await monitor.WaitForResultAsync(StreamingTestConfig.TargetOf(dialect), "streaming", r => Print(dialect, r) >= 1 && r.GetProperty("outcome").GetString() is "success" or "degraded",
                TimeSpan.FromSeconds(40), $"{dialect}: a stream with partials before the final");
            var stream = result.GetProperty("streams")[0];
            var ttft = stream.GetProperty("timeToFirstTranscriptMs").GetDouble();
            var finalize = stream.GetProperty("finalizeLatencyMs").GetDouble();
            var partials = stream.GetProperty("partials").GetInt32();
            var wer = stream.GetProperty("wordErrorRate").GetDouble();

            Assert.True(result.GetProperty("outcome").GetString() is "success" or "degraded", $"{dialect}: {result}");
            Assert.True(partials >= 1, $"{dialect}: no partial before the final: {stream}");
            // The first transcript came while the audio was still being sent, well before the final.
            Assert.True(ttft < sendMs + finalize, $"{dialect}: first transcript {ttft} ms not before the final at ~{sendMs + finalize} ms");
            Assert.True(ttft < sendMs, $"{dialect}: first partial {ttft} ms only after the audio ended ({sendMs} ms)");
            Assert.True(wer <= clip.MaxWer, $"{dialect}: WER {wer} above the sample's maxWer {clip.MaxWer}: {stream}");
        }
    }

    /// <summary>Writes one run's numbers to the test output; returns its partial count (-1 when it has no stream).</summary>
    private int Print(string dialect, JsonElement result)
    {
        if (!result.TryGetProperty("streams", out var streams) || streams.ValueKind != JsonValueKind.Array)
        {
            return -1;
        }

        var s = streams[0];
        if (!_printed.Add(result.GetProperty("startedAt").ToString()))
        {
            return s.GetProperty("partials").GetInt32();
        }

        output.WriteLine($"{dialect}: {result.GetProperty("outcome").GetString()}, {s.GetProperty("partials").GetInt32()} partials, TTFT " +
            $"{s.GetProperty("timeToFirstTranscriptMs")} ms, final {s.GetProperty("finalizeLatencyMs")} ms after the last audio, WER " +
            $"{s.GetProperty("wordErrorRate")}: \"{s.GetProperty("transcript")}\"");
        return s.GetProperty("partials").GetInt32();
    }
}
