using System.Net.Http.Headers;
using System.Text.Json;
using Synthetic.Audio;
using Synthetic.Configuration;

namespace Synthetic.Checks.Transcription;

/// <summary>What a transcription answer said, in any dialect.</summary>
internal sealed record TranscriptionAnswer(string? Text, double? Confidence, double? Duration, string? RequestId);

/// <summary>
/// One request shape of a batch transcription API: where to send the clip, how to wrap it, how to authenticate and
/// how to read the answer. One file per dialect in Dialects/, listed in <see cref="TranscriptionDialects"/>.
/// </summary>
internal interface ITranscriptionDialect
{
    /// <summary>The <c>Canary:Dialect</c> value.</summary>
    string Name { get; }

    /// <summary>Used when <c>Canary:Path</c> is not set.</summary>
    string DefaultPath { get; }

    /// <summary><c>Token</c> (self-host) or <c>Bearer</c> (cloud, OpenAI-compatible).</summary>
    string AuthScheme { get; }

    /// <summary>The query string, with its '?', or empty.</summary>
    string Query(CanaryPlan plan);

    /// <summary>The request body for a clip: built once at start-up, re-sent as is by a retry.</summary>
    (byte[] Body, MediaTypeHeaderValue ContentType) Body(Clip clip, CanaryPlan plan);

    /// <summary>Reads a 200 answer's JSON object; null when it is not this dialect's shape.</summary>
    TranscriptionAnswer? Read(JsonElement root, string? headerRequestId);
}
