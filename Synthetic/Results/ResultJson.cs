using Synthetic.Scoring;

namespace Synthetic.Results;

/// <summary>The one JSON shape of a result, used by /status and by <c>check --json</c>. Carries no secret (details are redacted by the probes).</summary>
internal static class ResultJson
{
    public static object Project(ProbeResult result) => new
    {
        outcome = result.Outcome.Name(),
        reason = result.Reason,
        detail = result.Detail,
        startedAt = result.StartedAt,
        durationMs = Math.Round(result.Duration.TotalMilliseconds, 2),
        attempts = result.Attempts,
        passedAfterRetry = result.PassedAfterRetry,
        statusCode = result.StatusCode,
        phasesMs = result.Phases.Present().ToDictionary(p => p.Phase, p => Math.Round(p.Seconds * 1000, 3)),
        tls = result.Tls is { } tls
            ? new
            {
                notAfter = tls.EarliestNotAfter,
                notBefore = tls.LeafNotBefore,
                subject = tls.Subject,
                issuer = tls.Issuer,
                presentedCertificates = tls.PresentedCertificates,
                problem = tls.Problem,
                insecureSkipVerify = tls.InsecureSkipVerify,
            }
            : null,
        health = result.Health is { } health
            ? new { components = health.Components, uptimeSeconds = health.UptimeSeconds, version = health.Version }
            : null,
        samples = result.Samples.Count == 0
            ? null
            : result.Samples.Select(s => new
            {
                sample = s.Sample,
                outcome = s.Outcome.Name(),
                reason = s.Reason,
                detail = s.Detail,
                latencyMs = Math.Round(s.Latency.TotalMilliseconds, 2),
                attempts = s.Attempts,
                transcript = s.Transcript,
                wordErrorRate = s.WordErrorRate,
                diff = s.Diff,
                words = s.Words?.Select(w => new { op = EditName(w.Kind), expected = w.Reference, heard = w.Hypothesis }).ToList(),
                confidence = s.Confidence,
                returnedDurationSeconds = s.ReturnedDuration,
                trueDurationSeconds = Math.Round(s.TrueDuration, 3),
                realTimeFactor = s.RealTimeFactor,
                requestId = s.RequestId,
                retryAfterSeconds = s.RetryAfter?.TotalSeconds,
            }).ToList(),
    };

    private static string EditName(EditKind kind) => kind switch
    {
        EditKind.Match => "match",
        EditKind.Substitution => "substitution",
        EditKind.Deletion => "deletion",
        _ => "insertion",
    };
}
