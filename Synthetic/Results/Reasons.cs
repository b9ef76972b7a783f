namespace Synthetic.Results;

/// <summary>The fixed set of failure reasons (design.md, "Checks and outcomes").</summary>
internal static class Reasons
{
    public const string Timeout = "timeout";
    public const string Connection = "connection";
    public const string Tls = "tls";
    public const string Http3xx = "http_3xx";
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

    /// <summary>The server closed or errored a stream before its final transcript.</summary>
    public const string StreamClosed = "stream_closed";

    public static readonly IReadOnlyList<string> All =
    [
        Timeout, Connection, Tls, Http3xx, Http4xx, Auth, RateLimited, Http5xx, Unhealthy, InvalidBody,
        EmptyTranscript, WerExceeded, LatencyExceeded, DurationMismatch, AudioRejected, StreamClosed,
    ];

    /// <summary>Reason for an unexpected HTTP status code.</summary>
    public static string ForStatus(int status) => status switch
    {
        401 or 403 => Auth,
        429 => RateLimited,
        415 or 422 => AudioRejected,
        >= 500 => Http5xx,
        >= 300 and < 400 => Http3xx,
        < 300 => InvalidBody,
        _ => Http4xx,
    };
}
