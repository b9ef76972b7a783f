using System.Net.WebSockets;
using System.Text.Json;
using Synthetic.Configuration;
using static Synthetic.Checks.Streaming.StreamingDialectRegistry;

namespace Synthetic.Checks.Streaming;

/// <summary>
/// The self-host <c>WS /v1/listen/stream</c> (Token auth) speaking Smallest's cloud protocol (asr-api.md section 2):
/// binary PCM frames, <c>{"type":"close_stream"}</c> at the end, <c>transcription</c> messages until <c>is_last</c>.
/// </summary>
internal class SmallestStreamDialect : IStreamingDialect
{
    private static readonly string[] CloseStream = [TypeMessage("close_stream")];

    public virtual string Name => StreamingDialects.SmallestStream;

    public virtual string DefaultPath => "/v1/listen/stream";

    public virtual string AuthScheme => "Token";

    public virtual string Query(StreamingPlan options, int sampleRate) =>
        $"language={Uri.EscapeDataString(options.Language)}&sample_rate={sampleRate}&encoding=linear16";

    public IReadOnlyList<string> StartMessages(StreamingPlan options, int sampleRate) => [];

    public StreamFrame EncodeAudio(ReadOnlySpan<byte> pcm) => new(pcm.ToArray(), WebSocketMessageType.Binary);

    public IReadOnlyList<string> EndOfAudio => CloseStream;

    public IReadOnlyList<string> AfterFinal => [];

    public IStreamParser CreateParser() => new Parser();

    /// <summary>Finals before <c>is_last</c> (a finalize, or the server's own endpointing) are segments: they add up.</summary>
    internal sealed class Parser : IStreamParser
    {
        private string _finals = string.Empty;

        public StreamEvent Parse(ReadOnlySpan<byte> utf8Json)
        {
            using var json = JsonDocument.Parse(utf8Json.ToArray());
            var root = json.RootElement;
            var type = String(root, "type");
            if (type == "error" || String(root, "status") == "error")
            {
                return StreamEvent.Error(String(root, "message") ?? String(root, "error") ?? "error");
            }

            var segment = String(root, "transcript") ?? String(root, "transcription");
            if (type is not (null or "transcription") || segment is null)
            {
                return type is null ? StreamEvent.Invalid("no type and no transcript") : StreamEvent.Ignored;
            }

            var full = String(root, "full_transcript");
            if (Bool(root, "is_last"))
            {
                return StreamEvent.Final(full ?? Join(_finals, segment));
            }

            if (Bool(root, "is_final"))
            {
                _finals = Join(_finals, segment);
                return StreamEvent.Partial(full ?? _finals);
            }

            return StreamEvent.Partial(full ?? Join(_finals, segment));
        }

        internal static string Join(string head, string tail)
        {
            var joined = head.Length == 0 ? tail.Trim() : tail.Trim().Length == 0 ? head : head + " " + tail.Trim();
            return joined.Length > MaxTextChars ? joined[..MaxTextChars] : joined;
        }
    }
}
