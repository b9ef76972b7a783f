using System.Reflection;
using Synthetic.Probing;
using Synthetic.Scheduling;
using Synthetic.Scoring;
using Synthetic.Verdicts;

namespace Synthetic.Hosting;

/// <summary>The /status document: latest result per check with reason, timings and detail; verdicts per target. No secrets.</summary>
internal static class StatusReport
{
    public static string Version { get; } =
        typeof(StatusReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <param name="insecureTargets">Targets with <c>Tls:InsecureSkipVerify</c>: flagged, since their certificates are not checked.</param>
    public static object Build(ResultStore store, VerdictEvaluator verdicts, IEnumerable<string> targets, DateTimeOffset now,
        IReadOnlySet<string>? insecureTargets = null)
    {
        // One pass over the store: looking the checks up per target would be quadratic in the number of targets.
        var checksByTarget = store.All.ToLookup(s => s.Target, StringComparer.Ordinal);
        return new
        {
            version = Version,
            generatedAt = now,
            targets = targets.Select(target => new
            {
                name = target,
                verdict = Verdict(verdicts.Evaluate(target)),
                tls = insecureTargets?.Contains(target) == true ? new { insecureSkipVerify = true } : null,
                checks = checksByTarget[target].Select(Check).ToList(),
            }).ToList(),
        };
    }

    private static object Verdict(Verdict verdict) => new
    {
        falsePositiveHealth = verdict.FalsePositive,
        falseNegativeHealth = verdict.FalseNegative,
        explanation = verdict.Explanation,
    };

    private static object Check(CheckState state)
    {
        var latest = state.Latest;
        return new
        {
            probe = state.Probe,
            intervalSeconds = state.Interval.TotalSeconds,
            running = state.IsRunning,
            skipped = Interlocked.Read(ref state.Skipped),
            backoffUntil = state.NotBefore,
            latest = latest is null ? null : Result(latest),
            lastFailure = state.LastFailure is { } failure && !ReferenceEquals(failure, latest) ? Result(failure) : null,
            history = state.History.Select(o => o.Name()).ToList(),
            latencyHistoryMs = state.LatencyHistory,
        };
    }

    private static string EditName(EditKind kind) => kind switch
    {
        EditKind.Match => "match",
        EditKind.Substitution => "substitution",
        EditKind.Deletion => "deletion",
        _ => "insertion",
    };

    public static object Result(ProbeResult result) => new
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
}
