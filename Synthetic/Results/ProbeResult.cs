namespace Synthetic.Results;

/// <summary>The immutable outcome of one run of one check. A probe never throws; every outcome is a result.</summary>
internal sealed record ProbeResult(
    string Target,
    string Probe,
    Outcome Outcome,
    string? Reason,
    string Detail,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    int Attempts,
    int? StatusCode,
    PhaseTimings Phases)
{
    /// <summary>The run passed, but only after a retry: counted so retries never hide flakiness.</summary>
    public bool PassedAfterRetry => Outcome.Passed() && Attempts > 1;

    public HealthDetails? Health { get; init; }

    /// <summary>The certificate chain of an https target (health probes).</summary>
    public TlsDetails? Tls { get; init; }

    public IReadOnlyList<SampleResult> Samples { get; init; } = [];

    /// <summary>The streaming canary's samples (probe <c>streaming</c>).</summary>
    public IReadOnlyList<StreamSampleResult> Streams { get; init; } = [];

    /// <summary>The server asked us to back off (429/503 retry_after).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public DateTimeOffset FinishedAt => StartedAt + Duration;

    /// <summary>The fire time the scheduler ran this for (null outside the schedule): a cluster runs each one once.</summary>
    public DateTimeOffset? ScheduledAt { get; init; }
}
