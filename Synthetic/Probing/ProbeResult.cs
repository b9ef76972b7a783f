namespace Synthetic.Probing;

internal enum Outcome
{
    Success,
    Degraded,
    Failure,
}

/// <summary>The fixed set of failure reasons (design.md, "Checks and outcomes").</summary>
internal static class Reasons
{
    public const string Timeout = "timeout";
    public const string Connection = "connection";
    public const string Tls = "tls";
    public const string Http4xx = "http_4xx";
    public const string Auth = "auth";
    public const string RateLimited = "rate_limited";
    public const string Http5xx = "http_5xx";
    public const string Unhealthy = "unhealthy";
    public const string InvalidBody = "invalid_body";
    public const string EmptyTranscript = "empty_transcript";
    public const string WerExceeded = "wer_exceeded";
    public const string LatencyExceeded = "latency_exceeded";
    public const string DurationMismatch = "duration_mismatch";
    public const string AudioRejected = "audio_rejected";

    public static readonly IReadOnlyList<string> All =
    [
        Timeout, Connection, Tls, Http4xx, Auth, RateLimited, Http5xx, Unhealthy, InvalidBody,
        EmptyTranscript, WerExceeded, LatencyExceeded, DurationMismatch, AudioRejected,
    ];

    /// <summary>Reason for an unexpected HTTP status code.</summary>
    public static string ForStatus(int status) => status switch
    {
        401 or 403 => Auth,
        429 => RateLimited,
        415 or 422 => AudioRejected,
        >= 500 => Http5xx,
        _ => Http4xx,
    };
}

internal static class OutcomeNames
{
    public static string Name(this Outcome outcome) => outcome switch
    {
        Outcome.Success => "success",
        Outcome.Degraded => "degraded",
        _ => "failure",
    };

    public static bool Passed(this Outcome outcome) => outcome != Outcome.Failure;
}

/// <summary>Per-phase timings of the last HTTP exchange, in seconds; null when the phase did not happen.</summary>
internal sealed record PhaseTimings(double? Dns, double? Connect, double? Tls, double? Request, double? Processing, double? Transfer)
{
    public static readonly PhaseTimings None = new(null, null, null, null, null, null);

    public IEnumerable<(string Phase, double Seconds)> Present()
    {
        if (Dns is { } dns) { yield return ("dns", dns); }
        if (Connect is { } connect) { yield return ("connect", connect); }
        if (Tls is { } tls) { yield return ("tls", tls); }
        if (Request is { } request) { yield return ("request", request); }
        if (Processing is { } processing) { yield return ("processing", processing); }
        if (Transfer is { } transfer) { yield return ("transfer", transfer); }
    }
}

/// <summary>What the detailed health view reported.</summary>
internal sealed record HealthDetails(IReadOnlyDictionary<string, bool> Components, double? UptimeSeconds, string? Version);

/// <summary>One canary sample's result inside a transcription run.</summary>
internal sealed record SampleResult(
    string Sample,
    Outcome Outcome,
    string? Reason,
    string Detail,
    TimeSpan Latency,
    int Attempts,
    string? Transcript,
    double? WordErrorRate,
    string? Diff,
    double? Confidence,
    double? ReturnedDuration,
    double TrueDuration,
    double? RealTimeFactor,
    string RequestId,
    TimeSpan? RetryAfter)
{
    /// <summary>The word alignment of expected against heard (normalized words), for the status page's diff; null when nothing was heard.</summary>
    public IReadOnlyList<Scoring.WordEdit>? Words { get; init; }
}

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

    /// <summary>The server asked us to back off (429/503 retry_after).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public DateTimeOffset FinishedAt => StartedAt + Duration;
}
