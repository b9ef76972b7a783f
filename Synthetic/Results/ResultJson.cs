namespace Synthetic.Results;

/// <summary>
/// The one JSON shape of a result, used by /status and by <c>check --json</c>. Carries no secret (details and transcripts
/// are redacted by the probes). Fields are only ever added.
/// </summary>
internal static class ResultJson
{
    /// <summary>The result's fields in a fixed order, after the caller's own (<paramref name="head"/>).</summary>
    public static Dictionary<string, object?> Project(ProbeResult result, params (string Name, object? Value)[] head)
    {
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in head)
        {
            fields[name] = value;
        }

        fields["outcome"] = result.Outcome.Name();
        fields["reason"] = result.Reason;
        fields["detail"] = result.Detail;
        fields["startedAt"] = result.StartedAt;
        fields["durationMs"] = Math.Round(result.Duration.TotalMilliseconds, 2);
        fields["attempts"] = result.Attempts;
        fields["passedAfterRetry"] = result.PassedAfterRetry;
        fields["statusCode"] = result.StatusCode;
        fields["phasesMs"] = result.Phases.Present().ToDictionary(p => p.Phase, p => Math.Round(p.Seconds * 1000, 3));
        fields["tls"] = result.Tls is { } tls
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
            : null;
        fields["health"] = result.Health is { } health
            ? new { components = health.Components, uptimeSeconds = health.UptimeSeconds, version = health.Version }
            : null;
        fields["samples"] = result.Samples.Count == 0 ? null : result.Samples.Select(Sample).ToList();
        fields["streams"] = result.Streams.Count == 0 ? null : result.Streams.Select(Stream).ToList();
        return fields;
    }

    private static object Stream(StreamSampleResult s) => new
    {
        sample = s.Sample,
        outcome = s.Outcome.Name(),
        reason = s.Reason,
        detail = s.Detail,
        durationMs = Math.Round(s.Duration.TotalMilliseconds, 2),
        handshakeMs = Ms(s.Handshake),
        timeToFirstTranscriptMs = Ms(s.TimeToFirstTranscript),
        finalizeLatencyMs = Ms(s.FinalizeLatency),
        partials = s.Partials,
        transcript = s.Transcript,
        wordErrorRate = s.WordErrorRate,
        diff = s.Diff,
        words = s.Words?.Select(w => new { op = w.Op, expected = w.Expected, heard = w.Heard }).ToList(),
        closeCode = s.CloseCode,
        statusCode = s.StatusCode,
    };

    private static double? Ms(TimeSpan? span) => span is { } s ? Math.Round(s.TotalMilliseconds, 2) : null;

    private static object Sample(SampleResult s) => new
    {
        sample = s.Sample,
        outcome = s.Outcome.Name(),
        reason = s.Reason,
        detail = s.Detail,
        latencyMs = Math.Round(s.Latency.TotalMilliseconds, 2),
        attempts = s.Attempts,
        transcript = s.Transcript,
        wordErrorRate = s.WordErrorRate,
        drift = s.Drift,
        diff = s.Diff,
        words = s.Words?.Select(w => new { op = w.Op, expected = w.Expected, heard = w.Heard }).ToList(),
        confidence = s.Confidence,
        returnedDurationSeconds = s.ReturnedDuration,
        trueDurationSeconds = Math.Round(s.TrueDuration, 3),
        realTimeFactor = s.RealTimeFactor,
        requestId = s.RequestId,
        retryAfterSeconds = s.RetryAfter?.TotalSeconds,
    };
}
