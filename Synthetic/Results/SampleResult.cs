namespace Synthetic.Results;

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
    public IReadOnlyList<DiffWord>? Words { get; init; }

    /// <summary>WER of the transcript against the baseline's (<c>Canary:Baseline</c>); null without a baseline.</summary>
    public double? Drift { get; init; }
}
