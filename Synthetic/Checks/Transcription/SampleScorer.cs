using Synthetic.Audio;
using Synthetic.Configuration;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Scoring;

namespace Synthetic.Checks.Transcription;

/// <summary>
/// Judges one sample's answer: status, shape, a non-empty transcript, WER against the manifest text, the audio duration
/// the service reports, and latency; success, degraded or failure with one reason.
/// </summary>
internal sealed class SampleScorer(CanaryPlan plan, DialectClient dialect, Redactor redactor)
{
    private const int MaxTranscriptChars = 2000;

    /// <summary>Word positions kept for the status page's diff; a transcript is at most 2,000 characters anyway.</summary>
    private const int MaxDiffWords = 400;

    public SampleResult Score(Clip clip, HttpExchange exchange, TimeSpan latency, int attempts, string requestId)
    {
        var status = exchange.StatusCode;
        if (exchange.Truncated)
        {
            return Failed(clip, Reasons.InvalidBody, $"{status}: answer larger than {TranscriptionCanary.MaxBodyBytes / (1024 * 1024)} MiB", latency,
                attempts, requestId);
        }

        if (status != 200)
        {
            if (HttpRedirect.Describe(exchange) is { } redirect)
            {
                return Failed(clip, Reasons.Http3xx, redactor.Apply(redirect), latency, attempts, requestId);
            }

            var retryAfter = status is 429 or 503 ? AnswerJson.RetryAfter(exchange) : null;
            var detail = $"{status}: {redactor.Apply(AnswerJson.ErrorText(exchange))}";
            if (retryAfter is { } wait)
            {
                detail += $" (retry after {wait.TotalSeconds:F0} s)";
            }

            return Failed(clip, Reasons.ForStatus(status), detail, latency, attempts, requestId) with { RetryAfter = retryAfter };
        }

        var answer = dialect.ReadAnswer(exchange);
        if (answer is null)
        {
            return Failed(clip, Reasons.InvalidBody, $"200: not the {dialect.Dialect} answer shape: {TextSnippet.Of(exchange.Body, 80)}", latency,
                attempts, requestId);
        }

        return BaselineDrift.Apply(Judge(clip, answer, latency, attempts, requestId), plan, answer.Text);
    }

    private SampleResult Judge(Clip clip, TranscriptionAnswer answer, TimeSpan latency, int attempts, string requestId)
    {
        var transcript = redactor.Apply(answer.Text ?? string.Empty);
        if (transcript.Length > MaxTranscriptChars)
        {
            transcript = transcript[..MaxTranscriptChars];
        }

        var wer = Thresholds(clip);
        var score = WordAligner.Score(clip.Transcript, answer.Text);
        var trueSeconds = clip.TrueDuration.TotalSeconds;
        var result = new SampleResult(clip.Id, Outcome.Success, null, string.Empty, latency, attempts, transcript, score.WordErrorRate, null,
            answer.Confidence, answer.Duration, trueSeconds, latency.TotalSeconds / trueSeconds, requestId, null)
        {
            Words = RedactedWords(score, redactor),
        };

        string? reason = null;
        string detail;
        if (clip.ExpectsSpeech && string.IsNullOrWhiteSpace(answer.Text))
        {
            (reason, detail) = (Reasons.EmptyTranscript, "empty transcript");
        }
        else if (score.WordErrorRate > wer.Max)
        {
            (reason, detail) = (Reasons.WerExceeded, $"WER {score.WordErrorRate:F2} > {wer.Max:F2}");
        }
        else if (answer.Duration is { } returned && Math.Abs(returned - trueSeconds) > 0.10 * trueSeconds)
        {
            (reason, detail) = (Reasons.DurationMismatch, $"service says {returned:F2} s of audio, clip lasts {trueSeconds:F2} s");
        }
        else if (latency > plan.MaxLatency)
        {
            (reason, detail) = (Reasons.LatencyExceeded, $"latency {latency.TotalSeconds:F2} s > {plan.MaxLatency.TotalSeconds:F2} s");
        }
        else
        {
            detail = $"WER {score.WordErrorRate:F2}, {latency.TotalMilliseconds:F0} ms";
        }

        if (reason is not null)
        {
            return result with { Outcome = Outcome.Failure, Reason = reason, Detail = detail, Diff = redactor.Apply(score.FormatDiff()) };
        }

        var degraded = score.WordErrorRate > wer.Degraded || latency > plan.DegradedLatency;
        return degraded
            ? result with { Outcome = Outcome.Degraded, Detail = detail + " (degraded)", Diff = redactor.Apply(score.FormatDiff()) }
            : result with { Detail = detail };
    }

    /// <summary>The alignment for the status page, capped, with the target's secret masked.</summary>
    internal static List<DiffWord> RedactedWords(WerScore score, Redactor redactor) =>
        [.. score.Alignment.Take(MaxDiffWords).Select(w => new DiffWord(OpName(w.Kind),
            w.Reference is null ? null : redactor.Apply(w.Reference), w.Hypothesis is null ? null : redactor.Apply(w.Hypothesis)))];

    private static string OpName(EditKind kind) => kind switch
    {
        EditKind.Match => "match",
        EditKind.Substitution => "substitution",
        EditKind.Deletion => "deletion",
        _ => "insertion",
    };

    /// <summary>The target's thresholds when its configuration sets them, else the sample's own from the manifest, else the defaults.</summary>
    internal WerThresholds Thresholds(Clip clip) => ThresholdsFor(plan.Wer, clip);

    /// <summary>
    /// <paramref name="configured"/> when the target's configuration set it; else the clip's manifest
    /// <c>maxWer</c> / <c>degradedWer</c>, each falling back to the configured (default) value. DegradedWer never
    /// exceeds MaxWer.
    /// </summary>
    internal static WerThresholds ThresholdsFor(WerThresholds configured, Clip clip)
    {
        ArgumentNullException.ThrowIfNull(configured);
        ArgumentNullException.ThrowIfNull(clip);
        if (configured.SetByUser || (clip.MaxWer is null && clip.DegradedWer is null))
        {
            return configured;
        }

        var max = clip.MaxWer ?? configured.Max;
        return new WerThresholds(max, Math.Min(clip.DegradedWer ?? configured.Degraded, max), SetByUser: false);
    }

    public static SampleResult Failed(Clip clip, string reason, string detail, TimeSpan latency, int attempts, string requestId) =>
        new(clip.Id, Outcome.Failure, reason, detail, latency, attempts, null, null, null, null, null, clip.TrueDuration.TotalSeconds, null,
            requestId, null);
}
