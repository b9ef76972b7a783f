using Synthetic.Metrics;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Tests.Support;
using Synthetic.Tests.Verdicts;

namespace Synthetic.Tests.Metrics;

public sealed class SyntheticMetricsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static SyntheticMetrics CreateSut() => new(Prometheus.Metrics.NewCustomRegistry(), "1.2.3");

    [Fact]
    public void Record_PassedAfterRetry_CountsRetriedRunAndEveryAttempt()
    {
        var sut = CreateSut();
        sut.RegisterCheck("t", "transcription", TimeSpan.FromMinutes(1), mayRetry: true);

        sut.Record(new ProbeResult("t", "transcription", Outcome.Success, null, "ok", Now, TimeSpan.FromSeconds(1), 2, 200, PhaseTimings.None));
        sut.Record(new ProbeResult("t", "transcription", Outcome.Success, null, "ok", Now, TimeSpan.FromSeconds(1), 1, 200, PhaseTimings.None));

        var text = VerdictEvaluatorTests.Export(sut);
        Assert.True(MetricsText.Has(text, "synthetic_probe_retried_runs_total", 1, ("target", "t"), ("probe", "transcription")));
        Assert.True(MetricsText.Has(text, "synthetic_probe_attempts_total", 3, ("target", "t"), ("probe", "transcription")));
        Assert.True(MetricsText.Has(text, "synthetic_probe_runs_total", 2, ("target", "t"), ("probe", "transcription"), ("outcome", "success")));
    }

    [Fact]
    public void RegisterCheck_RetriesOff_DeclaresNoRetriedRunsSeries()
    {
        var sut = CreateSut();
        sut.RegisterCheck("t", "health", TimeSpan.FromSeconds(15), mayRetry: false);
        sut.RegisterCheck("t", "transcription", TimeSpan.FromMinutes(1), mayRetry: true);

        var text = VerdictEvaluatorTests.Export(sut);
        Assert.Null(MetricsText.Value(text, "synthetic_probe_retried_runs_total", ("target", "t"), ("probe", "health")));
        Assert.True(MetricsText.Has(text, "synthetic_probe_retried_runs_total", 0, ("target", "t"), ("probe", "transcription")));
        Assert.True(MetricsText.Has(text, "synthetic_probe_attempts_total", 0, ("target", "t"), ("probe", "health")));
    }

    [Fact]
    public void RegisterTarget_WithoutVerdicts_ExportsNoVerdictSeries()
    {
        var sut = CreateSut();
        sut.RegisterTarget("both", 0.25, 0.1, verdicts: true);
        sut.RegisterTarget("health-only", null, null, verdicts: false);

        var text = VerdictEvaluatorTests.Export(sut);
        Assert.True(MetricsText.Has(text, "synthetic_health_false_positive", 0, ("target", "both")));
        Assert.Null(MetricsText.Value(text, "synthetic_health_false_positive", ("target", "health-only")));
        Assert.Null(MetricsText.Value(text, "synthetic_health_false_negative", ("target", "health-only")));
    }

    [Fact]
    public void Record_Failure_CountsReasonAndZeroesSuccess()
    {
        var sut = CreateSut();
        sut.Record(new ProbeResult("t", "health", Outcome.Failure, Reasons.Unhealthy, "503", Now, TimeSpan.FromMilliseconds(5), 1, 503, PhaseTimings.None));

        var text = VerdictEvaluatorTests.Export(sut);
        Assert.True(MetricsText.Has(text, "synthetic_probe_success", 0, ("target", "t"), ("probe", "health")));
        Assert.True(MetricsText.Has(text, "synthetic_probe_failures_total", 1, ("target", "t"), ("probe", "health"), ("reason", "unhealthy")));
        Assert.True(MetricsText.Has(text, "synthetic_probe_last_run_timestamp_seconds", Now.AddMilliseconds(5).ToUnixTimeMilliseconds() / 1000.0,
            ("target", "t"), ("probe", "health")));
    }

    [Fact]
    public void Record_UptimeGoesBackwards_CountsRestartAndSwapsVersion()
    {
        var sut = CreateSut();
        sut.Record(Detailed(500, "1.0.0"));
        sut.Record(Detailed(510, "1.0.0"));
        sut.Record(Detailed(3, "1.1.0"));

        var text = VerdictEvaluatorTests.Export(sut);
        Assert.True(MetricsText.Has(text, "synthetic_target_restarts_total", 1, ("target", "t")));
        Assert.True(MetricsText.Has(text, "synthetic_target_uptime_seconds", 3, ("target", "t")));
        Assert.True(MetricsText.Has(text, "synthetic_target_info", 1, ("target", "t"), ("version", "1.1.0")));
        Assert.Null(MetricsText.Value(text, "synthetic_target_info", ("target", "t"), ("version", "1.0.0")));
    }

    [Fact]
    public void RegisterTargetLabels_ConstantLabels_OnOneInfoSeriesOnly()
    {
        var sut = CreateSut();
        sut.RegisterTargetLabels(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["a"] = new Dictionary<string, string> { ["env"] = "prod" },
            ["b"] = new Dictionary<string, string> { ["region"] = "eu" },
        });
        sut.Record(new ProbeResult("a", "health", Outcome.Success, null, "ok", Now, TimeSpan.FromMilliseconds(5), 1, 200, PhaseTimings.None));

        var text = VerdictEvaluatorTests.Export(sut);
        Assert.True(MetricsText.Has(text, "synthetic_target_labels", 1, ("target", "a"), ("env", "prod"), ("region", "")));
        Assert.DoesNotContain("env=\"prod\"", text.Split('\n').Single(l => l.StartsWith("synthetic_probe_success{", StringComparison.Ordinal)),
            StringComparison.Ordinal);
    }

    private static ProbeResult Detailed(double uptime, string version) =>
        new("t", "health_detailed", Outcome.Success, null, "ok", Now, TimeSpan.FromMilliseconds(5), 1, 200, PhaseTimings.None)
        {
            Health = new HealthDetails(new Dictionary<string, bool> { ["redis"] = true }, uptime, version),
        };
}
