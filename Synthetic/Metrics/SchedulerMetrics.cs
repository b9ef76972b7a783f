using Prometheus;

namespace Synthetic.Metrics;

/// <summary>
/// The monitor's own backlog, on the same registry as <see cref="SyntheticMetrics"/>: how many checks are behind
/// schedule, whether that makes the monitor saturated, how many runs are in flight or wait for admission, and the admission limit. Set before each scrape from
/// one pass over the checks (Scheduling's <c>SchedulerSaturation</c>), so they cost nothing between scrapes.
/// </summary>
internal sealed class SchedulerMetrics
{
    private readonly Gauge _late;
    private readonly Gauge _saturated;
    private readonly Gauge _inFlight;
    private readonly Gauge _queued;
    private readonly Gauge _limit;

    public SchedulerMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _late = factory.CreateGauge("synthetic_scheduler_late_checks",
            "Checks behind schedule: their trigger has not fired for an interval plus 5 s, or last fired more than 5 s late.");
        _saturated = factory.CreateGauge("synthetic_scheduler_saturated",
            "1 while at least 1 % of the checks (at least one) are late: the configured work exceeds what the monitor can run on time.");
        _inFlight = factory.CreateGauge("synthetic_scheduler_runs_in_flight", "Check runs started and not finished.");
        _queued = factory.CreateGauge("synthetic_scheduler_runs_queued",
            "Check runs waiting for admission: the monitor runs at most synthetic_scheduler_admission_limit at once while it is short of CPU.");
        _limit = factory.CreateGauge("synthetic_scheduler_admission_limit",
            "How many check runs may be in flight now: lowered while the monitor is short of CPU or handles ready I/O late, raised while runs wait and it is not.");
    }

    public void Set(int lateChecks, bool saturated, int runsInFlight, int runsQueued, int admissionLimit)
    {
        _late.Set(lateChecks);
        _saturated.Set(saturated ? 1 : 0);
        _inFlight.Set(runsInFlight);
        _queued.Set(runsQueued);
        _limit.Set(admissionLimit);
    }
}
