using Synthetic.Audio;
using Synthetic.Configuration;
using Synthetic.Results;
using Synthetic.Scoring;

namespace Synthetic.Cli;

/// <summary>
/// What <c>synthetic calibrate</c> makes of N runs of one sample: the most frequent transcript, its WER, latency
/// percentiles and suggested thresholds. WER: with N the clip's word count and m = max(0.15, 1/N), degradedWer =
/// measured + m and maxWer = degradedWer + m, each rounded up to 0.05 (the fixtures README's rule). Latency:
/// degradedLatency = max(2 × p95, p95 + 0.5 s) rounded up to 100 ms, maxLatency = 2 × degradedLatency.
/// </summary>
internal static class Calibration
{
    private const double Step = 0.05;

    /// <summary>Runs that say nothing about the model: no answer (HTTP or transport failure) or nothing heard in a speech clip.</summary>
    public static bool IsFailedRun(SampleResult run) =>
        run.Transcript is null || run.Reason == Reasons.EmptyTranscript;

    /// <summary>The suggested (MaxWer, DegradedWer) for a measured WER on a clip of <paramref name="words"/> words.</summary>
    public static (double Max, double Degraded) SuggestWer(double measured, int words)
    {
        var margin = words > 0 ? Math.Max(0.15, 1.0 / words) : 0.15;
        var degraded = RoundUp(measured + margin);
        return (RoundUp(degraded + margin), degraded);
    }

    /// <summary>The suggested (MaxLatency, DegradedLatency) for a measured p95.</summary>
    public static (TimeSpan Max, TimeSpan Degraded) SuggestLatency(TimeSpan p95)
    {
        var raw = Math.Max(2 * p95.TotalMilliseconds, p95.TotalMilliseconds + 500);
        var degraded = TimeSpan.FromMilliseconds(Math.Ceiling(raw / 100 - 1e-9) * 100);
        return (2 * degraded, degraded);
    }

    /// <summary>Rounds up to the next multiple of 0.05 (a value already on one stays, whatever the float noise).</summary>
    public static double RoundUp(double value) => Math.Round(Math.Ceiling(Math.Round(value / Step, 6)) * Step, 2);

    /// <summary>Nearest-rank percentile (<paramref name="fraction"/> 0.5 is the median).</summary>
    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> values, double fraction)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>A duration as the configuration writes it, e.g. 1200ms.</summary>
    public static string Milliseconds(TimeSpan value) => FormattableString.Invariant($"{value.TotalMilliseconds:F0}ms");

    /// <summary>The baseline entry of <paramref name="clip"/> from its runs; null when every run failed.</summary>
    public static BaselineSample? Summarize(Clip clip, IReadOnlyList<SampleResult> runs)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(runs);
        var heard = runs.Where(r => !IsFailedRun(r)).ToList();
        if (heard.Count == 0)
        {
            return null;
        }

        // The most frequent transcript; a tie goes to the one heard first.
        var top = heard.GroupBy(r => r.Transcript!, StringComparer.Ordinal).OrderByDescending(g => g.Count()).First();
        var wer = top.First().WordErrorRate ?? WordAligner.Score(clip.Transcript, top.Key).WordErrorRate;
        var latencies = heard.Select(r => r.Latency).ToList();
        var p95 = Percentile(latencies, 0.95);
        var (maxWer, degradedWer) = SuggestWer(wer, TextNormalizer.Normalize(clip.Transcript).Count);
        var (maxLatency, degradedLatency) = SuggestLatency(p95);
        return new BaselineSample
        {
            Sample = clip.Id,
            Transcript = top.Key,
            WordErrorRate = Math.Round(wer, 4),
            SameTranscriptRuns = top.Count(),
            LatencyP50Ms = Math.Round(Percentile(latencies, 0.5).TotalMilliseconds, 1),
            LatencyP95Ms = Math.Round(p95.TotalMilliseconds, 1),
            Suggested = new SuggestedThresholds(maxWer, degradedWer, Milliseconds(maxLatency), Milliseconds(degradedLatency)),
        };
    }
}
