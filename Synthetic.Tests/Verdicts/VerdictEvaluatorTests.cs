using Microsoft.Extensions.Time.Testing;
using Synthetic.Metrics;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Scheduling;
using Synthetic.Verdicts;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Verdicts;

public sealed class VerdictEvaluatorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryResultStore _store = new();
    private readonly SyntheticMetrics _metrics = new(Prometheus.Metrics.NewCustomRegistry(), "test");

    private VerdictEvaluator CreateSut()
    {
        _store.Register("t", "health", TimeSpan.FromSeconds(15));
        _store.Register("t", "transcription", TimeSpan.FromSeconds(60));
        return new VerdictEvaluator(_store, _time, ["t"]);
    }

    [Fact]
    public void Evaluate_HealthPassesTranscriptionFails_FalsePositive()
    {
        var sut = CreateSut();
        _store.Add(Result("health", Outcome.Success));
        _store.Add(Result("transcription", Outcome.Failure, Reasons.Http5xx));

        var verdict = sut.Evaluate("t");

        Assert.True(verdict.FalsePositive);
        Assert.False(verdict.FalseNegative);
        Assert.Contains("http_5xx", verdict.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Refresh_TargetWithoutCanary_IsNotEvaluatedAndExportsNothing()
    {
        var sut = CreateSut();
        _store.Register("health-only", "health", TimeSpan.FromSeconds(15));
        _store.Add(Result("health", Outcome.Success) with { Target = "health-only" });

        new VerdictPublisher(sut, _metrics).Publish("health-only");

        Assert.StartsWith("not evaluated", sut.Evaluate("health-only").Explanation, StringComparison.Ordinal);
        Assert.Null(MetricsText.Value(Export(_metrics), "synthetic_health_false_positive", ("target", "health-only")));
    }

    [Fact]
    public void Evaluate_DegradedHealthCountsAsPassing_FalsePositive()
    {
        var sut = CreateSut();
        _store.Add(Result("health", Outcome.Degraded));
        _store.Add(Result("transcription", Outcome.Failure, Reasons.WerExceeded));

        Assert.True(sut.Evaluate("t").FalsePositive);
    }

    [Fact]
    public void Evaluate_HealthFailsTranscriptionPasses_FalseNegative()
    {
        var sut = CreateSut();
        _store.Add(Result("health", Outcome.Failure, Reasons.Unhealthy));
        _store.Add(Result("transcription", Outcome.Success));

        var verdict = sut.Evaluate("t");

        Assert.False(verdict.FalsePositive);
        Assert.True(verdict.FalseNegative);
    }

    [Fact]
    public void Evaluate_BothFail_NeitherVerdict()
    {
        var sut = CreateSut();
        _store.Add(Result("health", Outcome.Failure, Reasons.Connection));
        _store.Add(Result("transcription", Outcome.Failure, Reasons.Connection));

        var verdict = sut.Evaluate("t");

        Assert.False(verdict.FalsePositive);
        Assert.False(verdict.FalseNegative);
    }

    [Fact]
    public void Evaluate_TranscriptionOlderThanTwoIntervals_NoVerdict()
    {
        var sut = CreateSut();
        _store.Add(Result("transcription", Outcome.Failure, Reasons.Http5xx));
        _time.Advance(TimeSpan.FromSeconds(121));
        _store.Add(Result("health", Outcome.Success));

        Assert.False(sut.Evaluate("t").FalsePositive);
    }

    [Fact]
    public void Evaluate_HealthJustWithinTwoIntervals_StillCounts()
    {
        var sut = CreateSut();
        _store.Add(Result("health", Outcome.Success));
        _time.Advance(TimeSpan.FromSeconds(29));
        _store.Add(Result("transcription", Outcome.Failure, Reasons.Timeout));

        Assert.True(sut.Evaluate("t").FalsePositive);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(sut.Evaluate("t").FalsePositive);
    }

    [Fact]
    public void Refresh_FalsePositive_SetsGauge()
    {
        var sut = CreateSut();
        _store.Add(Result("health", Outcome.Success));
        _store.Add(Result("transcription", Outcome.Failure, Reasons.EmptyTranscript));

        new VerdictPublisher(sut, _metrics).Publish("t");

        var text = Export(_metrics);
        Assert.True(MetricsText.Has(text, "synthetic_health_false_positive", 1, ("target", "t")));
        Assert.True(MetricsText.Has(text, "synthetic_health_false_negative", 0, ("target", "t")));
    }

    [Fact]
    public void Evaluate_CanaryBackingOffAsAsked_StaysFreshThroughTheBackOff()
    {
        var sut = CreateSut();
        _store.Add(Result("transcription", Outcome.Failure, Reasons.RateLimited));
        _store.Get("t", "transcription")!.NotBefore = _time.GetUtcNow() + TimeSpan.FromMinutes(5);
        _time.Advance(TimeSpan.FromMinutes(6));
        _store.Add(Result("health", Outcome.Success));

        Assert.True(sut.Evaluate("t").FalsePositive);
        _time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        Assert.False(sut.Evaluate("t").FalsePositive);
    }

    [Fact]
    public void Evaluate_StreamingFailsWhileBatchPasses_FalsePositiveNamingStreaming()
    {
        var sut = CreateSut();
        _store.Register("t", "streaming", TimeSpan.FromSeconds(60));
        _store.Add(Result("health", Outcome.Success));
        _store.Add(Result("transcription", Outcome.Success));
        _store.Add(Result("streaming", Outcome.Failure, Reasons.StreamClosed));

        var verdict = sut.Evaluate("t");

        Assert.True(verdict.FalsePositive);
        Assert.Contains("streaming fails (stream_closed)", verdict.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("transcription fails", verdict.Explanation, StringComparison.Ordinal);
    }

    internal static string Export(SyntheticMetrics metrics)
    {
        using var stream = new MemoryStream();
        metrics.ExportAsync(stream, CancellationToken.None).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private ProbeResult Result(string probe, Outcome outcome, string? reason = null) =>
        new("t", probe, outcome, reason, "detail", _time.GetUtcNow(), TimeSpan.FromMilliseconds(10), 1, 200, PhaseTimings.None);
}
