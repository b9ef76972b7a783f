using System.Net.WebSockets;
using System.Text.Json;
using Synthetic.Configuration;
using static Synthetic.Checks.Streaming.StreamingDialectRegistry;

namespace Synthetic.Checks.Streaming;

/// <summary>
/// Deepgram's <c>/v1/listen</c> as a WebSocket (Token auth): binary PCM, then <c>Finalize</c> and <c>CloseStream</c>;
/// <c>Results</c> messages carry one segment each (<c>is_final</c> segments add up); the answer to Finalize has
/// <c>from_finalize: true</c>, and <c>Metadata</c> ends the stream.
/// </summary>
internal sealed class DeepgramDialect : IStreamingDialect
{
    private static readonly string[] End = [TypeMessage("Finalize"), TypeMessage("CloseStream")];

    public string Name => StreamingDialects.Deepgram;

    public string DefaultPath => "/v1/listen";

    public string AuthScheme => "Token";

    public string Query(StreamingPlan options, int sampleRate) =>
        (options.Model is { } model ? $"model={Uri.EscapeDataString(model)}&" : string.Empty) +
        $"language={Uri.EscapeDataString(options.Language)}&encoding=linear16&sample_rate={sampleRate}&channels=1&interim_results=true";

    public IReadOnlyList<string> StartMessages(StreamingPlan options, int sampleRate) => [];

    public StreamFrame EncodeAudio(ReadOnlySpan<byte> pcm) => new(pcm.ToArray(), WebSocketMessageType.Binary);

    public IReadOnlyList<string> EndOfAudio => End;

    public IReadOnlyList<string> AfterFinal => [];

    public IStreamParser CreateParser() => new Parser();

    internal sealed class Parser : IStreamParser
    {
        private string _finals = string.Empty;

        public StreamEvent Parse(ReadOnlySpan<byte> utf8Json)
        {
            using var json = JsonDocument.Parse(utf8Json.ToArray());
            var root = json.RootElement;
            switch (String(root, "type"))
            {
                case "Results":
                    var transcript = Transcript(root);
                    if (transcript is null)
                    {
                        return StreamEvent.Invalid("Results without channel.alternatives[0].transcript");
                    }

                    if (!Bool(root, "is_final"))
                    {
                        return StreamEvent.Partial(SmallestStreamDialect.Parser.Join(_finals, transcript));
                    }

                    _finals = SmallestStreamDialect.Parser.Join(_finals, transcript);
                    return Bool(root, "from_finalize") ? StreamEvent.Final(_finals) : StreamEvent.Partial(_finals);
                case "Metadata":
                    return StreamEvent.Final(_finals);
                case "Error":
                    return StreamEvent.Error(String(root, "description") ?? String(root, "message") ?? "error");
                case null:
                    return StreamEvent.Invalid("no type");
                default:
                    return StreamEvent.Ignored;
            }
        }

        private static string? Transcript(JsonElement root) =>
            root.TryGetProperty("channel", out var channel) && channel.ValueKind == JsonValueKind.Object &&
            channel.TryGetProperty("alternatives", out var alternatives) && alternatives.ValueKind == JsonValueKind.Array &&
            alternatives.GetArrayLength() > 0
                ? String(alternatives[0], "transcript")
                : null;
    }
}
