using System.Net.Http.Headers;
using System.Text.Json;
using Synthetic.Audio;
using Synthetic.Configuration;

namespace Synthetic.Checks.Transcription.Dialects;

/// <summary>The self-host server as the vendor's test script calls it: raw bytes to <c>/api/v1/lightning/get_text</c>, Pulse answer.</summary>
internal sealed class SmallestGetTextDialect : ITranscriptionDialect
{
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    public string Name => "smallest-get-text";

    public string DefaultPath => "/api/v1/lightning/get_text";

    public string AuthScheme => "Token";

    public string Query(CanaryPlan plan) => $"?model=lightning&language={Uri.EscapeDataString(plan.Language)}&word_timestamps=false";

    public (byte[] Body, MediaTypeHeaderValue ContentType) Body(Clip clip, CanaryPlan plan) => (clip.Bytes, OctetStream);

    public TranscriptionAnswer? Read(JsonElement root, string? headerRequestId) => PulseDialect.ReadPulse(root, headerRequestId);
}
