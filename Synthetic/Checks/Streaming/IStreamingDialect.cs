using System.Net.WebSockets;
using Synthetic.Configuration;

namespace Synthetic.Checks.Streaming;

/// <summary>
/// One streaming protocol, client side (asr-api.md sections 2 and 3): where to connect, how to authenticate,
/// how audio, finalize and close go on the wire, and how a server message reads. Stateless; per-stream state
/// lives in the <see cref="IStreamParser"/> it creates.
/// </summary>
internal interface IStreamingDialect
{
    string Name { get; }

    string DefaultPath { get; }

    /// <summary><c>Token</c> or <c>Bearer</c>.</summary>
    string AuthScheme { get; }

    /// <summary>The query string (without '?'), e.g. <c>language=en&amp;sample_rate=16000&amp;encoding=linear16</c>.</summary>
    string Query(StreamingPlan options, int sampleRate);

    /// <summary>Text messages sent right after the upgrade (OpenAI <c>session.update</c>).</summary>
    IReadOnlyList<string> StartMessages(StreamingPlan options, int sampleRate);

    /// <summary>One frame of 16-bit mono PCM as it goes on the wire (prepared once at start-up).</summary>
    StreamFrame EncodeAudio(ReadOnlySpan<byte> pcm);

    /// <summary>Sent after the last audio frame: finalize and/or close.</summary>
    IReadOnlyList<string> EndOfAudio { get; }

    /// <summary>Sent after the final transcript, before the client closes.</summary>
    IReadOnlyList<string> AfterFinal { get; }

    IStreamParser CreateParser();
}

/// <summary>Reads one stream's server messages; may keep state (segments already final, deltas so far).</summary>
internal interface IStreamParser
{
    StreamEvent Parse(ReadOnlySpan<byte> utf8Json);
}

/// <summary>One message on the wire.</summary>
internal sealed record StreamFrame(ReadOnlyMemory<byte> Bytes, WebSocketMessageType Type);

internal enum StreamEventKind
{
    /// <summary>Nothing that counts: metadata, VAD events, acknowledgements.</summary>
    Ignored,

    /// <summary>A partial; <see cref="StreamEvent.Text"/> is everything heard so far.</summary>
    Partial,

    /// <summary>The final transcript of the stream; <see cref="StreamEvent.Text"/> is the whole transcript.</summary>
    Final,

    /// <summary>The server reported an error; <see cref="StreamEvent.Text"/> is its message.</summary>
    Error,

    /// <summary>Not a message of this dialect.</summary>
    Invalid,
}

internal readonly record struct StreamEvent(StreamEventKind Kind, string Text)
{
    public static StreamEvent Ignored { get; } = new(StreamEventKind.Ignored, string.Empty);

    public static StreamEvent Partial(string text) => new(StreamEventKind.Partial, text);

    public static StreamEvent Final(string text) => new(StreamEventKind.Final, text);

    public static StreamEvent Error(string message) => new(StreamEventKind.Error, message);

    public static StreamEvent Invalid(string why) => new(StreamEventKind.Invalid, why);
}
