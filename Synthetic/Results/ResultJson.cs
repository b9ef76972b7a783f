using System.Text.Json.Serialization;

namespace Synthetic.Results;

/// <summary>
/// The one JSON shape of a result, used by /status and by <c>check --json</c>. Carries no secret (details and transcripts
/// are redacted by the probes). Fields are only ever added. Typed records, so that /status serializes through a
/// source-generated context instead of reflection (RSS, issue 15); names are camelCase by the serializer's policy.
/// </summary>
internal static class ResultJson
{
    /// <summary>The result's fields in a fixed order.</summary>
    public static ResultView Project(ProbeResult result) => new(
        result.Outcome.Name(),
        result.Reason,
        result.Detail,
        result.StartedAt,
        Ms(result.Duration),
        result.Attempts,
        result.PassedAfterRetry,
        result.StatusCode,
        result.Phases.Present().ToDictionary(p => p.Phase, p => Math.Round(p.Seconds * 1000, 3)),
        result.Tls is { } tls
            ? new TlsView(tls.EarliestNotAfter, tls.LeafNotBefore, tls.Subject, tls.Issuer, tls.PresentedCertificates, tls.Problem, tls.InsecureSkipVerify)
            : null,
        result.Health,
        result.Samples.Count == 0 ? null : result.Samples.Select(Sample).ToList(),
        result.Streams.Count == 0 ? null : result.Streams.Select(Stream).ToList());

    /// <summary>The result's fields after the ones <c>check</c> has always led with (<c>latencyMs</c> is <c>durationMs</c>).</summary>
    public static ResultView Project(ProbeResult result, bool passed)
    {
        var view = Project(result);
        return view with { Probe = result.Probe, Passed = passed, LatencyMs = view.DurationMs };
    }

    private static StreamView Stream(StreamSampleResult s) => new(
        s.Sample,
        s.Outcome.Name(),
        s.Reason,
        s.Detail,
        Ms(s.Duration),
        Ms(s.Handshake),
        Ms(s.TimeToFirstTranscript),
        Ms(s.FinalizeLatency),
        s.Partials,
        s.Transcript,
        s.WordErrorRate,
        s.Diff,
        s.Words,
        s.CloseCode,
        s.StatusCode);

    private static double Ms(TimeSpan span) => Math.Round(span.TotalMilliseconds, 2);

    private static double? Ms(TimeSpan? span) => span is { } s ? Ms(s) : null;

    private static SampleView Sample(SampleResult s) => new(
        s.Sample,
        s.Outcome.Name(),
        s.Reason,
        s.Detail,
        Ms(s.Latency),
        s.Attempts,
        s.Transcript,
        s.WordErrorRate,
        s.Drift,
        s.Diff,
        s.Words,
        s.Confidence,
        s.ReturnedDuration,
        Math.Round(s.TrueDuration, 3),
        s.RealTimeFactor,
        s.RequestId,
        s.RetryAfter?.TotalSeconds);
}

/// <summary>A result as JSON: <see cref="ResultJson.Project(ProbeResult)"/>. The leading three are <c>check</c>'s alone.</summary>
internal sealed record ResultView(
    string Outcome,
    string? Reason,
    string Detail,
    DateTimeOffset StartedAt,
    double DurationMs,
    int Attempts,
    bool PassedAfterRetry,
    int? StatusCode,
    Dictionary<string, double> PhasesMs,
    TlsView? Tls,
    HealthDetails? Health,
    List<SampleView>? Samples,
    List<StreamView>? Streams)
{
    [JsonPropertyOrder(-3)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Probe { get; init; }

    [JsonPropertyOrder(-2)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Passed { get; init; }

    [JsonPropertyOrder(-1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? LatencyMs { get; init; }
}

internal sealed record TlsView(
    DateTimeOffset NotAfter,
    DateTimeOffset NotBefore,
    string Subject,
    string Issuer,
    int PresentedCertificates,
    string? Problem,
    bool InsecureSkipVerify);

internal sealed record SampleView(
    string Sample,
    string Outcome,
    string? Reason,
    string Detail,
    double LatencyMs,
    int Attempts,
    string? Transcript,
    double? WordErrorRate,
    double? Drift,
    string? Diff,
    IReadOnlyList<DiffWord>? Words,
    double? Confidence,
    double? ReturnedDurationSeconds,
    double TrueDurationSeconds,
    double? RealTimeFactor,
    string RequestId,
    double? RetryAfterSeconds);

internal sealed record StreamView(
    string Sample,
    string Outcome,
    string? Reason,
    string Detail,
    double DurationMs,
    double? HandshakeMs,
    double? TimeToFirstTranscriptMs,
    double? FinalizeLatencyMs,
    int Partials,
    string? Transcript,
    double? WordErrorRate,
    string? Diff,
    IReadOnlyList<DiffWord>? Words,
    int? CloseCode,
    int? StatusCode);
