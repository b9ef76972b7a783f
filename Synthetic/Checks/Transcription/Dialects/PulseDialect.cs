using System.Net.Http.Headers;
using System.Text.Json;
using Synthetic.Audio;
using Synthetic.Configuration;

namespace Synthetic.Checks.Transcription.Dialects;

/// <summary>Smallest's cloud Pulse <c>POST /waves/v1/pulse/get_text</c>: raw WAV body, Bearer auth, <c>{"transcription": …}</c>.</summary>
internal sealed class PulseDialect : ITranscriptionDialect
{
    private static readonly MediaTypeHeaderValue Wav = new("audio/wav");

    public string Name => "pulse";

    public string DefaultPath => "/waves/v1/pulse/get_text";

    public string AuthScheme => "Bearer";

    public string Query(CanaryPlan plan) => $"?language={Uri.EscapeDataString(plan.Language)}&word_timestamps=false";

    public (byte[] Body, MediaTypeHeaderValue ContentType) Body(Clip clip, CanaryPlan plan) => (clip.Bytes, Wav);

    public TranscriptionAnswer? Read(JsonElement root, string? headerRequestId) => ReadPulse(root, headerRequestId);

    /// <summary>The Pulse answer shape, which the self-host server's get_text route answers too.</summary>
    internal static TranscriptionAnswer? ReadPulse(JsonElement root, string? headerRequestId) =>
        AnswerJson.Text(root, "transcription") is { } text
            ? new TranscriptionAnswer(text, AnswerJson.Number(root, "confidence"),
                root.TryGetProperty("metadata", out var metadata) ? AnswerJson.Number(metadata, "duration") : null, headerRequestId)
            : null;
}
