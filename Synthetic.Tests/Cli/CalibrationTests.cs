using Synthetic.Audio;
using Synthetic.Cli;
using Synthetic.Results;

namespace Synthetic.Tests.Cli;

public sealed class CalibrationTests
{
    private static readonly Clip Fox = new("quick-brown-fox", "f.wav", "en", "The quick brown fox jumps over the lazy dog.", TimeSpan.FromSeconds(3),
        -20, 16000, 1, 16, [], "00");

    [Theory]
    [InlineData(0.222, 9, 0.55, 0.40)] // quick-brown-fox in the manifest
    [InlineData(0.133, 15, 0.45, 0.30)] // numbers-dates
    [InlineData(0.0, 4, 0.50, 0.25)] // human-go-forward: 1/N = 0.25 beats 0.15
    [InlineData(0.091, 11, 0.40, 0.25)] // second-voice
    [InlineData(0.0, 0, 0.30, 0.15)] // no words: the 0.15 margin
    public void SuggestWer_FixturesRule_ShippedManifestValues(double measured, int words, double max, double degraded)
    {
        var suggested = Calibration.SuggestWer(measured, words);

        Assert.Equal((max, degraded), suggested);
    }

    [Theory]
    [InlineData(0.30, 0.30)]
    [InlineData(0.1 + 0.2, 0.30)]
    [InlineData(0.301, 0.35)]
    [InlineData(0.0, 0.0)]
    public void RoundUp_ToTheNext005_ExactMultiplesStay(double value, double expected)
    {
        Assert.Equal(expected, Calibration.RoundUp(value));
    }

    [Theory]
    [InlineData(300, 800, 1600)] // p95 + 0.5 s beats 2 × p95
    [InlineData(1234, 2500, 5000)] // 2 × p95 = 2468, up to 2500
    public void SuggestLatency_P95_DegradedAndTwiceThatMax(int p95Ms, int degradedMs, int maxMs)
    {
        var (max, degraded) = Calibration.SuggestLatency(TimeSpan.FromMilliseconds(p95Ms));

        Assert.Equal(TimeSpan.FromMilliseconds(degradedMs), degraded);
        Assert.Equal(TimeSpan.FromMilliseconds(maxMs), max);
    }

    [Fact]
    public void Percentile_FiveValues_NearestRank()
    {
        TimeSpan[] values = [.. new[] { 50, 10, 40, 20, 30 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

        Assert.Equal(TimeSpan.FromMilliseconds(30), Calibration.Percentile(values, 0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(50), Calibration.Percentile(values, 0.95));
    }

    [Fact]
    public void Summarize_MixedRuns_MostFrequentTranscriptItsWerAndFailedRunsLeftOut()
    {
        SampleResult[] runs =
        [
            Run("the quick brown fox jumps over the lazy dog", 0.0, 100),
            Run("a quick brown fox jumps over the lazy dog", 0.111, 200),
            Run("a quick brown fox jumps over the lazy dog", 0.111, 300),
            Run(null, null, 9000),
        ];

        var baseline = Calibration.Summarize(Fox, runs);

        Assert.NotNull(baseline);
        Assert.Equal("a quick brown fox jumps over the lazy dog", baseline.Transcript);
        Assert.Equal(2, baseline.SameTranscriptRuns);
        Assert.Equal(0.111, baseline.WordErrorRate);
        Assert.Equal(200, baseline.LatencyP50Ms);
        Assert.Equal(300, baseline.LatencyP95Ms);
        Assert.Equal(0.30, baseline.Suggested!.DegradedWer);
        Assert.Equal(0.45, baseline.Suggested.MaxWer);
        Assert.Equal("800ms", baseline.Suggested.DegradedLatency);
        Assert.Equal("1600ms", baseline.Suggested.MaxLatency);
    }

    [Fact]
    public void Summarize_EveryRunFailed_Null()
    {
        Assert.Null(Calibration.Summarize(Fox, [Run(null, null, 100)]));
    }

    [Fact]
    public void IsFailedRun_EmptyTranscriptReason_Failed()
    {
        var empty = Run(string.Empty, 1.0, 100) with { Outcome = Outcome.Failure, Reason = Reasons.EmptyTranscript };

        Assert.True(Calibration.IsFailedRun(empty));
        Assert.False(Calibration.IsFailedRun(Run("the fox", 0.7, 100) with { Outcome = Outcome.Failure, Reason = Reasons.WerExceeded }));
    }

    private static SampleResult Run(string? transcript, double? wer, int latencyMs) =>
        new(Fox.Id, transcript is null ? Outcome.Failure : Outcome.Success, transcript is null ? Reasons.Timeout : null, "x",
            TimeSpan.FromMilliseconds(latencyMs), 1, transcript, wer, null, null, null, 3, null, "r", null);
}
