using Synthetic.Metrics;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Tests.Support;
using Synthetic.Tests.Verdicts;

namespace Synthetic.Tests.Metrics;

public sealed class DriftMetricsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Record_SampleWithDrift_ExportsDriftAndMaxDrift()
    {
        var sut = new SyntheticMetrics(Prometheus.Metrics.NewCustomRegistry(), "1.2.3");
        sut.RegisterDrift("t", ["fox", "dates"], 0.2);

        sut.Record(Run(Sample("fox", drift: 0.35), Sample("dates", drift: null)));

        var text = VerdictEvaluatorTests.Export(sut);
        Assert.Equal(0.35, MetricsText.Value(text, "synthetic_canary_baseline_drift", ("target", "t"), ("sample", "fox")));
        Assert.Null(MetricsText.Value(text, "synthetic_canary_baseline_drift", ("target", "t"), ("sample", "dates")));
        Assert.Equal(0.2, MetricsText.Value(text, "synthetic_canary_max_drift", ("target", "t"), ("sample", "dates")));
    }

    private static ProbeResult Run(params SampleResult[] samples) =>
        new("t", "transcription", Outcome.Degraded, null, "x", Now, TimeSpan.FromSeconds(1), 1, 200, PhaseTimings.None) { Samples = samples };

    private static SampleResult Sample(string id, double? drift) =>
        new(id, Outcome.Success, null, "ok", TimeSpan.FromMilliseconds(100), 1, "heard", 0.1, null, null, null, 2, 0.05, "r", null) { Drift = drift };
}
