using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Synthetic.Configuration;
using static Synthetic.Checks.Streaming.StreamingDialectRegistry;

namespace Synthetic.Checks.Streaming;

/// <summary>
/// OpenAI-Realtime-style transcription (OpenAI, vLLM, speaches) on <c>/v1/realtime?intent=transcription</c>, Bearer auth:
/// <c>session.update</c> naming the PCM rate, base64 <c>input_audio_buffer.append</c>, <c>commit</c>; deltas add up to
/// the partial, <c>…transcription.completed</c> is the final.
/// </summary>
internal sealed class OpenAiRealtimeDialect : IStreamingDialect
{
    public const string DefaultModel = "gpt-4o-transcribe";

    private static readonly string[] Commit = [TypeMessage("input_audio_buffer.commit")];

    public string Name => StreamingDialects.OpenAiRealtime;

    public string DefaultPath => "/v1/realtime";

    public string AuthScheme => "Bearer";

    public string Query(StreamingPlan options, int sampleRate) => "intent=transcription";

    public IReadOnlyList<string> StartMessages(StreamingPlan options, int sampleRate) =>
    [
        new JsonObject
        {
            ["type"] = "session.update",
            ["session"] = new JsonObject
            {
                ["type"] = "transcription",
                ["audio"] = new JsonObject
                {
                    ["input"] = new JsonObject
                    {
                        ["format"] = new JsonObject { ["type"] = "audio/pcm", ["rate"] = sampleRate },
                        ["transcription"] = new JsonObject { ["model"] = options.Model ?? DefaultModel, ["language"] = options.Language },
                        ["turn_detection"] = null,
                    },
                },
            },
        }.ToJsonString(),
    ];

    public StreamFrame EncodeAudio(ReadOnlySpan<byte> pcm) =>
        new(Encoding.UTF8.GetBytes($$"""{"type":"input_audio_buffer.append","audio":"{{Convert.ToBase64String(pcm)}}"}"""), WebSocketMessageType.Text);

    public IReadOnlyList<string> EndOfAudio => Commit;

    public IReadOnlyList<string> AfterFinal => [];

    public IStreamParser CreateParser() => new Parser();

    internal sealed class Parser : IStreamParser
    {
        private readonly StringBuilder _deltas = new();

        public StreamEvent Parse(ReadOnlySpan<byte> utf8Json)
        {
            using var json = JsonDocument.Parse(utf8Json.ToArray());
            var root = json.RootElement;
            switch (String(root, "type"))
            {
                case "conversation.item.input_audio_transcription.delta":
                    var delta = String(root, "delta") ?? string.Empty;
                    _deltas.Append(delta.AsSpan(0, Math.Min(delta.Length, Math.Max(0, MaxTextChars - _deltas.Length))));
                    return StreamEvent.Partial(_deltas.ToString().Trim());
                case "conversation.item.input_audio_transcription.completed":
                    return StreamEvent.Final((String(root, "transcript") ?? _deltas.ToString()).Trim());
                case "conversation.item.input_audio_transcription.failed":
                case "error":
                    var error = root.TryGetProperty("error", out var e) ? e : root;
                    return StreamEvent.Error(String(error, "message") ?? String(error, "code") ?? "error");
                case null:
                    return StreamEvent.Invalid("no type");
                default:
                    return StreamEvent.Ignored;
            }
        }
    }
}
