using Synthetic.Audio;
using Synthetic.Scoring;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.StandIn.Recognition;

/// <summary>The stand-in with <c>--recognizer pocketsphinx</c>: real transcripts in every dialect, real recognition faults.</summary>
[Collection(RealRecognitionCollection.Name)]
public sealed class PocketSphinxStandInTests(RealRecognitionStandIn standIn) : IDisposable
{
    private const string Expected = "The quick brown fox jumps over the lazy dog.";

    private static readonly byte[] Fox = File.ReadAllBytes(RepoPaths.Combine("fixtures", "audio", "quick-brown-fox.wav"));

    public static TheoryData<string> Dialects() => new("smallest-listen", "smallest-get-text", "pulse", "openai");

    public void Dispose() => standIn.Server.SetMode(StandInMode.Healthy);

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Transcribe_EachDialect_RealTranscript(string dialect)
    {
        var (status, text) = await standIn.TranscribeAsync(dialect, Fox);

        Assert.Equal(200, status);
        Assert.True(WordAligner.Score(Expected, text).WordErrorRate <= 0.25, $"{dialect} heard \"{text}\"");
    }

    [Fact]
    public async Task Transcribe_AudioNoFixtureKnows_StillHeard()
    {
        // Re-encoded with a different header: no hash lookup could recognize these bytes.
        var stereo44k = AudioVariants.Build(Fox, AudioVariants.FortyFourK);

        var (status, text) = await standIn.TranscribeAsync("pulse", stereo44k);

        Assert.Equal(200, status);
        Assert.True(WordAligner.Score(Expected, text).WordErrorRate <= 0.25, $"44.1 kHz stereo heard \"{text}\"");
    }

    [Fact]
    public async Task Transcribe_MuLaw8k_ResampledAndHeard()
    {
        var telephony = AudioVariants.Build(Fox, AudioVariants.Telephony);

        var (status, text) = await standIn.TranscribeAsync("smallest-listen", telephony);

        Assert.Equal(200, status);
        Assert.True(WordAligner.Score(Expected, text).WordErrorRate <= 0.4, $"8 kHz μ-law heard \"{text}\"");
    }

    [Fact]
    public async Task WrongSampleRate_HealthyClip_200WithGarbledWords()
    {
        standIn.Server.SetMode(new StandInMode(ModeNames.WrongSampleRate));

        var (status, text) = await standIn.TranscribeAsync("smallest-listen", Fox);

        Assert.Equal(200, status);
        Assert.True(WordAligner.Score(Expected, text).WordErrorRate >= 0.5, $"wrong-sample-rate heard \"{text}\"");
    }

    [Fact]
    public async Task Truncated_HealthyClip_200WithOnlyTheFirstWords()
    {
        var passage = File.ReadAllBytes(RepoPaths.Combine("fixtures", "audio", "long-passage.wav"));
        standIn.Server.SetMode(new StandInMode(ModeNames.Truncated));

        var (status, text) = await standIn.TranscribeAsync("openai", passage);

        Assert.Equal(200, status);
        var score = WordAligner.Score(
            "Speech recognition turns spoken language into written text. A good monitor sends real audio to the service every minute and checks that the words returned match the words spoken.",
            text);
        Assert.True(score.Deletions >= 10, $"truncated heard \"{text}\" ({score.Deletions} deletions)");
        Assert.StartsWith("speech recognition", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilenceDecoder_HealthyClip_200WithEmptyTranscript()
    {
        standIn.Server.SetMode(new StandInMode(ModeNames.SilenceDecoder));

        var (status, text) = await standIn.TranscribeAsync("smallest-get-text", Fox);

        Assert.Equal(200, status);
        Assert.Equal(string.Empty, text);
    }
}
