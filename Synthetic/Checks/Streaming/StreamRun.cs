namespace Synthetic.Checks.Streaming;

/// <summary>What one stream measured, before scoring: <see cref="Reason"/> is set when it ended without a final transcript.</summary>
internal sealed record StreamRun(
    string? Reason,
    string Detail,
    int? StatusCode,
    TimeSpan? Handshake,
    TimeSpan? TimeToFirstTranscript,
    TimeSpan? FinalizeLatency,
    int Partials,
    string? Final,
    int? CloseCode);
