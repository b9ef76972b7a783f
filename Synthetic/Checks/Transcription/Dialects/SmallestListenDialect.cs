using System.Net.Http.Headers;
using System.Text.Json;
using Synthetic.Audio;
using Synthetic.Configuration;

namespace Synthetic.Checks.Transcription.Dialects;

/// <summary>The self-host API server's <c>POST /v1/listen</c>: multipart field <c>audio</c>, Token auth, <c>{"text": …}</c>.</summary>
internal sealed class SmallestListenDialect : ITranscriptionDialect
{
    public string Name => "smallest-listen";

    public string DefaultPath => "/v1/listen";

    public string AuthScheme => "Token";

    public string Query(CanaryPlan plan) => string.Empty;

    public (byte[] Body, MediaTypeHeaderValue ContentType) Body(Clip clip, CanaryPlan plan) =>
        (MultipartBody.Build("audio", clip, ("language", plan.Language), ("punctuate", "true")), MultipartBody.ContentType);

    public TranscriptionAnswer? Read(JsonElement root, string? headerRequestId) =>
        AnswerJson.Text(root, "text") is { } text
            ? new TranscriptionAnswer(text, AnswerJson.Number(root, "confidence"), AnswerJson.Number(root, "duration"),
                AnswerJson.String(root, "request_id") ?? headerRequestId)
            : null;
}
