using Synthetic.Checks.Transcription;
using Synthetic.Configuration;
using Synthetic.Results;

namespace Synthetic.Tests.Checks.Transcription;

public sealed class BaselineDriftTests
{
    private const string Baseline = "the quick brown fox jumps over the lazy dog";

    private static readonly CanaryPlan WithBaseline = CanaryPlan.Default with
    {
        Baseline = new CanaryBaseline("b.json", new Dictionary<string, BaselineSample>
        {
            ["fox"] = new() { Sample = "fox", Transcript = Baseline },
        }),
    };

    [Fact]
    public void Apply_NoBaseline_Unchanged()
    {
        var result = Sample("anything at all", Outcome.Success);

        Assert.Same(result, BaselineDrift.Apply(result, CanaryPlan.Default, "anything at all"));
    }

    [Fact]
    public void Apply_SameTranscript_DriftZeroStillSuccess()
    {
        var applied = BaselineDrift.Apply(Sample(Baseline, Outcome.Success), WithBaseline, "The quick brown fox jumps over the lazy dog.");

        Assert.Equal(0, applied.Drift);
        Assert.Equal(Outcome.Success, applied.Outcome);
    }

    [Fact]
    public void Apply_OneWordOfNine_BelowMaxDriftStillSuccess()
    {
        var applied = BaselineDrift.Apply(Sample("a", Outcome.Success), WithBaseline, "a quick brown fox jumps over the lazy dog");

        Assert.Equal(0.1111, applied.Drift);
        Assert.Equal(Outcome.Success, applied.Outcome);
    }

    [Fact]
    public void Apply_DriftedTranscriptWithinWer_DegradedWithDetail()
    {
        const string heard = "a quick brown box jumps over a lazy dog";

        var applied = BaselineDrift.Apply(Sample(heard, Outcome.Success), WithBaseline, heard);

        Assert.Equal(0.3333, applied.Drift);
        Assert.Equal(Outcome.Degraded, applied.Outcome);
        Assert.StartsWith("transcript drifted 0.33 from the baseline (> 0.20): heard \"a quick brown box", applied.Detail, StringComparison.Ordinal);
        Assert.EndsWith("WER 0.10, 120 ms (degraded)", applied.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AlreadyFailed_StaysFailedWithDriftInDetail()
    {
        var applied = BaselineDrift.Apply(Sample("banana", Outcome.Failure) with { Reason = Reasons.WerExceeded }, WithBaseline, "banana");

        Assert.Equal(Outcome.Failure, applied.Outcome);
        Assert.Equal(Reasons.WerExceeded, applied.Reason);
        Assert.Contains("; transcript drifted 1.00 from the baseline", applied.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_NoAnswer_NoDrift()
    {
        var applied = BaselineDrift.Apply(Sample(null, Outcome.Failure), WithBaseline, null);

        Assert.Null(applied.Drift);
    }

    private static SampleResult Sample(string? transcript, Outcome outcome) =>
        new("fox", outcome, null, "WER 0.10, 120 ms", TimeSpan.FromMilliseconds(120), 1, transcript, 0.1, null, null, null, 3, null, "r", null);
}
