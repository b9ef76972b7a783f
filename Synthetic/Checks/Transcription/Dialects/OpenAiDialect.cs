using System.Net.Http.Headers;
using System.Text.Json;
using Synthetic.Audio;
using Synthetic.Configuration;

namespace Synthetic.Checks.Transcription.Dialects;

/// <summary>OpenAI-compatible <c>POST /v1/audio/transcriptions</c> (faster-whisper-server, LocalAI, speaches…): multipart <c>file</c>, Bearer.</summary>
internal sealed class OpenAiDialect : ITranscriptionDialect
{
    public string Name => "openai";

    public string DefaultPath => "/v1/audio/transcriptions";

    public string AuthScheme => "Bearer";

    public string Query(CanaryPlan plan) => string.Empty;

    public (byte[] Body, MediaTypeHeaderValue ContentType) Body(Clip clip, CanaryPlan plan) =>
        (MultipartBody.Build("file", clip, ("model", plan.Model), ("language", plan.Language), ("response_format", "json")), MultipartBody.ContentType);

    public TranscriptionAnswer? Read(JsonElement root, string? headerRequestId) =>
        AnswerJson.Text(root, "text") is { } text ? new TranscriptionAnswer(text, null, AnswerJson.Number(root, "duration"), headerRequestId) : null;
}
