namespace Synthetic.Configuration;

/// <summary>The streaming canary of one target with every default resolved (see <see cref="StreamingOptions"/> for the meaning of each).</summary>
internal sealed record StreamingPlan(
    string Dialect,
    string? Path,
    TimeSpan Interval,
    TimeSpan Timeout,
    IReadOnlyList<string> Samples,
    TimeSpan ChunkDuration,
    double Pace,
    string Language,
    string? Model,
    WerThresholds Wer,
    TimeSpan MaxTimeToFirstTranscript,
    TimeSpan DegradedTimeToFirstTranscript,
    TimeSpan MaxFinalizeLatency,
    TimeSpan DegradedFinalizeLatency)
{
    public static StreamingPlan Default { get; } = new(StreamingDialects.SmallestStream, null, Defaults.CanaryInterval, Defaults.CanaryTimeout,
        Defaults.Samples, TimeSpan.FromMilliseconds(100), 1, "en", null, WerThresholds.Default, Defaults.MaxTimeToFirstTranscript,
        Defaults.DegradedTimeToFirstTranscript, Defaults.MaxFinalizeLatency, Defaults.DegradedFinalizeLatency);
}
