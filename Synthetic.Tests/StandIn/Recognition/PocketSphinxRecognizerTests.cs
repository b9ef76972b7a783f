using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Synthetic.Audio;
using Synthetic.Scoring;
using Synthetic.StandIn.Recognition;
using Synthetic.Tests.Support;
using Xunit.Abstractions;

namespace Synthetic.Tests.StandIn.Recognition;

/// <summary>One pocketsphinx decoder for the class (the model loads once, about a second).</summary>
public sealed class PocketSphinxDecoderFixture : IDisposable
{
    public PocketSphinxDecoderFixture()
    {
        PocketSphinxRequirement.Require();
        Recognizer = PocketSphinxRecognizer.Load();
    }

    internal IRecognizer Recognizer { get; }

    public void Dispose() => Recognizer.Dispose();
}

public sealed class PocketSphinxRecognizerTests(PocketSphinxDecoderFixture fixture, ITestOutputHelper output) : IClassFixture<PocketSphinxDecoderFixture>
{
    public static TheoryData<string> SpeechClips()
    {
        var data = new TheoryData<string>();
        foreach (var clip in Manifest().Where(c => c.Transcript.Length > 0))
        {
            data.Add(clip.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SpeechClips))]
    public async Task TranscribeAsync_FixtureClip_WithinItsShippedMaxWer(string id)
    {
        var clip = Manifest().Single(c => c.Id == id);
        var audio = RecognizerAudio.TryDecodeWav(File.ReadAllBytes(RepoPaths.Combine("fixtures", "audio", clip.File)));
        Assert.NotNull(audio);

        var started = Stopwatch.GetTimestamp();
        var heard = await fixture.Recognizer.TranscribeAsync(RecognizerAudio.To16kPcm(audio), CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var score = WordAligner.Score(clip.Transcript, heard);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MEASURE {id} wer={score.WordErrorRate:F3} ms={elapsed.TotalMilliseconds:F0} rtf={elapsed.TotalSeconds / audio.DurationSeconds:F3} heard=\"{heard}\""));
        Assert.NotEmpty(heard);
        Assert.True(score.WordErrorRate <= (clip.MaxWer ?? 1.0), $"{id}: WER {score.WordErrorRate:F3} above maxWer {clip.MaxWer}; heard \"{heard}\"");
    }

    /// <summary>@telephony and @44k of every speech clip (@noisy is beyond pocketsphinx: see fixtures/audio/README.md).</summary>
    public static TheoryData<string> SpeechClipVariants()
    {
        var data = new TheoryData<string>();
        foreach (var clip in Manifest().Where(c => c.Transcript.Length > 0))
        {
            data.Add($"{clip.Id}@{AudioVariants.Telephony}");
            data.Add($"{clip.Id}@{AudioVariants.FortyFourK}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SpeechClipVariants))]
    public async Task TranscribeAsync_Variant_WithinItsShippedMaxWer(string id)
    {
        var (library, errors) = ClipLibrary.Load(RepoPaths.Combine("fixtures", "audio"), new Dictionary<string, string> { [id] = "Samples" });
        Assert.Empty(errors);
        var clip = library![id];
        var audio = RecognizerAudio.TryDecodeWav(clip.Bytes);
        Assert.NotNull(audio);

        var started = Stopwatch.GetTimestamp();
        var heard = await fixture.Recognizer.TranscribeAsync(RecognizerAudio.To16kPcm(audio), CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var score = WordAligner.Score(clip.Transcript, heard);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MEASURE {id} wer={score.WordErrorRate:F3} ms={elapsed.TotalMilliseconds:F0} rtf={elapsed.TotalSeconds / audio.DurationSeconds:F3} heard=\"{heard}\""));
        Assert.True(score.WordErrorRate <= clip.MaxWer, $"{id}: WER {score.WordErrorRate:F3} above maxWer {clip.MaxWer}; heard \"{heard}\"");
    }

    [Fact]
    public async Task TranscribeAsync_NearSilence_Empty()
    {
        var audio = RecognizerAudio.TryDecodeWav(File.ReadAllBytes(RepoPaths.Combine("fixtures", "audio", "near-silence.wav")));
        Assert.NotNull(audio);

        var heard = await fixture.Recognizer.TranscribeAsync(RecognizerAudio.To16kPcm(audio), CancellationToken.None);

        Assert.Equal(string.Empty, heard);
    }

    [Fact]
    public async Task TranscribeAsync_SameAudioAfterOtherAudio_SameTranscript()
    {
        var (library, _) = ClipLibrary.Load(RepoPaths.Combine("fixtures", "audio"), new Dictionary<string, string>
        {
            ["second-voice@telephony"] = "Samples", ["long-passage@noisy"] = "Samples", ["human-young-man@44k"] = "Samples",
        });
        var telephony = RecognizerAudio.To16kPcm(RecognizerAudio.TryDecodeWav(library!["second-voice@telephony"].Bytes)!);
        var noisy = RecognizerAudio.To16kPcm(RecognizerAudio.TryDecodeWav(library["long-passage@noisy"].Bytes)!);
        var stereo = RecognizerAudio.To16kPcm(RecognizerAudio.TryDecodeWav(library["human-young-man@44k"].Bytes)!);

        var first = await fixture.Recognizer.TranscribeAsync(telephony, CancellationToken.None);
        var firstStereo = await fixture.Recognizer.TranscribeAsync(stereo, CancellationToken.None);
        _ = await fixture.Recognizer.TranscribeAsync(noisy, CancellationToken.None);
        var second = await fixture.Recognizer.TranscribeAsync(telephony, CancellationToken.None);
        _ = await fixture.Recognizer.TranscribeAsync(noisy, CancellationToken.None);
        var secondStereo = await fixture.Recognizer.TranscribeAsync(stereo, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(firstStereo, secondStereo);
    }

    [Fact]
    public async Task TranscribeAsync_ConcurrentCalls_SameAnswersAsOneByOne()
    {
        var pcm = RecognizerAudio.To16kPcm(RecognizerAudio.TryDecodeWav(File.ReadAllBytes(RepoPaths.Combine("fixtures", "audio", "human-go-forward.wav")))!);
        var alone = await fixture.Recognizer.TranscribeAsync(pcm, CancellationToken.None);

        var together = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fixture.Recognizer.TranscribeAsync(pcm, CancellationToken.None)));

        Assert.All(together, heard => Assert.Equal(alone, heard));
    }

    internal sealed record ManifestClip(string Id, string File, string Transcript, double? MaxWer, double? DegradedWer);

    internal static IReadOnlyList<ManifestClip> Manifest()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(RepoPaths.Combine("fixtures", "audio", "manifest.json")));
        return [.. json.RootElement.GetProperty("clips").EnumerateArray().Select(c => new ManifestClip(
            c.GetProperty("id").GetString()!, c.GetProperty("file").GetString()!, c.GetProperty("transcript").GetString()!,
            c.TryGetProperty("maxWer", out var max) ? max.GetDouble() : null,
            c.TryGetProperty("degradedWer", out var degraded) ? degraded.GetDouble() : null))];
    }
}
