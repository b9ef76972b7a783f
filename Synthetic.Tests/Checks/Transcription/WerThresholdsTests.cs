using Synthetic.Audio;
using Synthetic.Checks.Transcription;
using Synthetic.Configuration;

namespace Synthetic.Tests.Checks.Transcription;

public sealed class WerThresholdsTests
{
    private static readonly Clip WithManifestValues = Clip(0.45, 0.30);
    private static readonly Clip WithoutManifestValues = Clip(null, null);

    [Fact]
    public void ThresholdsFor_NothingConfigured_ManifestValues()
    {
        var wer = SampleScorer.ThresholdsFor(WerThresholds.Default, WithManifestValues);

        Assert.Equal((0.45, 0.30), (wer.Max, wer.Degraded));
    }

    [Fact]
    public void ThresholdsFor_ConfiguredValues_OverrideTheManifest()
    {
        var wer = SampleScorer.ThresholdsFor(new WerThresholds(0.25, 0.10, SetByUser: true), WithManifestValues);

        Assert.Equal((0.25, 0.10), (wer.Max, wer.Degraded));
    }

    [Fact]
    public void ThresholdsFor_NeitherConfiguredNorInManifest_Defaults()
    {
        var wer = SampleScorer.ThresholdsFor(WerThresholds.Default, WithoutManifestValues);

        Assert.Equal((0.25, 0.10), (wer.Max, wer.Degraded));
    }

    [Fact]
    public void ThresholdsFor_ManifestMaxBelowDefaultDegraded_DegradedCappedAtMax()
    {
        var wer = SampleScorer.ThresholdsFor(WerThresholds.Default, Clip(0.05, null));

        Assert.Equal((0.05, 0.05), (wer.Max, wer.Degraded));
    }

    private static Clip Clip(double? max, double? degraded) =>
        new("c", "c.wav", "en", "a b c", TimeSpan.FromSeconds(1), -20, 16000, 1, 16, [], "00", max, degraded);
}
