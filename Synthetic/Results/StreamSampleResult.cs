namespace Synthetic.Results;

/// <summary>One sample's run inside a streaming canary run: the stream's timings, partials, final transcript and how it ended.</summary>
/// <param name="Handshake">Connect + WebSocket upgrade; null when the upgrade did not complete.</param>
/// <param name="TimeToFirstTranscript">First audio frame sent → first non-empty transcript (partial or final) received.</param>
/// <param name="FinalizeLatency">Last audio frame sent → final transcript received.</param>
/// <param name="Partials">Non-empty partial transcripts received before the final (capped).</param>
/// <param name="CloseCode">The WebSocket close code the server sent, if it closed.</param>
/// <param name="StatusCode">The HTTP status of a refused upgrade.</param>
internal sealed record StreamSampleResult(
    string Sample,
    Outcome Outcome,
    string? Reason,
    string Detail,
    TimeSpan Duration,
    TimeSpan? Handshake,
    TimeSpan? TimeToFirstTranscript,
    TimeSpan? FinalizeLatency,
    int Partials,
    string? Transcript,
    double? WordErrorRate,
    string? Diff,
    int? CloseCode,
    int? StatusCode)
{
    /// <summary>The final transcript aligned word by word with the manifest (status page diff); null when there was no final.</summary>
    public IReadOnlyList<DiffWord>? Words { get; init; }
}
