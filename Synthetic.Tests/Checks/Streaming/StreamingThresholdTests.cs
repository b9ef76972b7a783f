using Synthetic.Audio;
using Synthetic.Checks.Streaming;
using Synthetic.Configuration;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Checks.Streaming;

/// <summary>
/// The streaming canary's WER thresholds follow the batch canary's rule: the target's MaxWer/DegradedWer when its
/// Streaming section sets them, else the sample's own from the manifest (quick-brown-fox: 0.55 / 0.40), else 0.25 / 0.10.
/// </summary>
public sealed class StreamingThresholdTests
{
    private const string Sample = "quick-brown-fox";

    // 1 of 9 words wrong: WER 0.11.
    private const string OneWrong = "The quick brown fox jumps over the lazy cat.";

    // 4 of 9 words wrong: WER 0.44.
    private const string FourWrong = "The quick brown box bumps over the hazy cat.";

    [Fact]
    public void Score_NoThresholdConfigured_SampleManifestThresholdsApply()
    {
        var canary = Canary(new StreamingOptions { Enabled = true });

        Assert.Equal(Outcome.Success, Score(canary, OneWrong).Outcome);
        var degraded = Score(canary, FourWrong);
        Assert.Equal(Outcome.Degraded, degraded.Outcome);
        Assert.Null(degraded.Reason);
    }

    [Fact]
    public void Score_MaxWerConfigured_OverridesTheManifest()
    {
        var canary = Canary(new StreamingOptions { Enabled = true, MaxWer = 0.3 });

        var result = Score(canary, FourWrong);

        Assert.Equal(Outcome.Failure, result.Outcome);
        Assert.Equal(Reasons.WerExceeded, result.Reason);
        Assert.Contains("> 0.30", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_DegradedWerConfigured_OverridesTheManifest()
    {
        var canary = Canary(new StreamingOptions { Enabled = true, DegradedWer = 0.05 });

        Assert.Equal(Outcome.Degraded, Score(canary, OneWrong).Outcome);
    }

    [Fact]
    public void Wer_OnlyMaxWerBelowDefaultDegraded_DegradedFollowsAndMarkedSetByUser()
    {
        var wer = PlanBuilder.Streaming(new StreamingOptions { MaxWer = 0.05 }, out _).Wer;

        Assert.Equal(0.05, wer.Max);
        Assert.True(wer.Degraded <= wer.Max);
        Assert.True(wer.SetByUser);
        Assert.False(PlanBuilder.Streaming(new StreamingOptions(), out _).Wer.SetByUser);
    }

    private static StreamingCanary Canary(StreamingOptions options)
    {
        var (clips, errors) = ClipLibrary.Load(RepoPaths.Combine("fixtures", "audio"), new Dictionary<string, string> { [Sample] = "Streaming:Samples" });
        Assert.Empty(errors);
        var target = new TargetPlan("t", new Uri("http://127.0.0.1:9/"), null, new Dictionary<string, string>(), false, null, null);
        return new StreamingCanary(target, PlanBuilder.Streaming(options, out _), clips!, TimeProvider.System, new Redactor(null));
    }

    private static StreamSampleResult Score(StreamingCanary canary, string final)
    {
        var (clips, _) = ClipLibrary.Load(RepoPaths.Combine("fixtures", "audio"), new Dictionary<string, string> { [Sample] = "Streaming:Samples" });
        var ms = TimeSpan.FromMilliseconds(100);
        var run = new StreamRun(null, string.Empty, null, ms, ms, ms, 3, final, 1000);
        return canary.Score(clips![Sample], run, TimeSpan.FromSeconds(1));
    }
}
