using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synthetic.StandIn.Streaming;

internal enum ClientMessageKind
{
    Ignored,
    Audio,
    Configure,
    Finalize,
    Close,
    Unknown,
}

/// <summary>What the client asked for in one text message.</summary>
internal readonly record struct ClientMessage(ClientMessageKind Kind, byte[]? Audio = null, int? SampleRate = null, string? Type = null)
{
    public static ClientMessage Ignored { get; } = new(ClientMessageKind.Ignored);
}

/// <summary>One streaming dialect, server side: which auth scheme, how client messages read and server messages look.</summary>
internal abstract class StreamProtocol
{
    public abstract string Name { get; }

    /// <summary>Authorization schemes accepted at the upgrade.</summary>
    public abstract IReadOnlyCollection<string> AuthSchemes { get; }

    /// <summary>Whether audio comes as binary frames (all but the OpenAI shape, which sends base64 in JSON).</summary>
    public virtual bool BinaryAudio => true;

    /// <summary>After the last final, the server closes the socket (else the client does).</summary>
    public virtual bool ServerCloses => true;

    /// <summary>A problem with the upgrade request's query, answered 400 before the upgrade; null when fine.</summary>
    public virtual string? CheckQuery(IQueryCollection query) => null;

    public abstract ClientMessage Parse(JsonElement message);

    /// <summary>Sent right after the upgrade, if anything.</summary>
    public virtual JsonObject? Opening(string sessionId) => null;

    /// <summary>The answer to a configuration message (OpenAI <c>session.update</c>).</summary>
    public virtual JsonObject? Configured(string sessionId) => null;

    /// <param name="segment">The words of the current (not yet final) segment heard so far.</param>
    /// <param name="delta">What is new since the previous partial.</param>
    /// <param name="full">Everything heard in the session so far.</param>
    public abstract JsonObject Partial(string sessionId, string segment, string delta, string full);

    public abstract JsonObject Final(string sessionId, string segment, string full, bool isLast, bool fromFinalize);

    /// <summary>Sent after the last final and before the server closes (Deepgram's <c>Metadata</c>).</summary>
    public virtual JsonObject? Terminal(string sessionId, double audioSeconds) => null;

    public abstract JsonObject Error(string message);

    protected static string? TypeOf(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;
}

/// <summary>Smallest's cloud protocol (asr-api.md section 2), spoken by <c>/v1/listen/stream</c> and <c>/waves/v1/stt/live</c>.</summary>
internal sealed class SmallestStreamProtocol(string name, IReadOnlyCollection<string> authSchemes, bool requireModel) : StreamProtocol
{
    public static readonly SmallestStreamProtocol SelfHost = new("smallest-stream", [StandIn.AuthSchemes.Token], requireModel: false);

    public static readonly SmallestStreamProtocol Pulse = new("pulse-live", [StandIn.AuthSchemes.Bearer], requireModel: true);

    public override string Name => name;

    public override IReadOnlyCollection<string> AuthSchemes => authSchemes;

    public override string? CheckQuery(IQueryCollection query)
    {
        if (requireModel && string.IsNullOrEmpty(query["model"]))
        {
            return "model is required";
        }

        if (requireModel && string.IsNullOrEmpty(query["language"]))
        {
            return "language is required";
        }

        var encoding = query["encoding"].ToString();
        return encoding.Length > 0 && encoding != "linear16" ? $"encoding '{encoding}' not supported by stand-in (linear16 only)" : null;
    }

    public override ClientMessage Parse(JsonElement message) => TypeOf(message) switch
    {
        "finalize" => new ClientMessage(ClientMessageKind.Finalize),
        "close_stream" or "end" => new ClientMessage(ClientMessageKind.Close),
        var type => new ClientMessage(ClientMessageKind.Unknown, Type: type),
    };

    public override JsonObject Partial(string sessionId, string segment, string delta, string full) =>
        Transcription(sessionId, segment, full, isFinal: false, isLast: false, fromFinalize: false);

    public override JsonObject Final(string sessionId, string segment, string full, bool isLast, bool fromFinalize) =>
        Transcription(sessionId, segment, full, isFinal: true, isLast, fromFinalize);

    public override JsonObject Error(string message) => new() { ["type"] = "error", ["status"] = "error", ["message"] = message };

    private static JsonObject Transcription(string sessionId, string segment, string full, bool isFinal, bool isLast, bool fromFinalize) => new()
    {
        ["type"] = "transcription",
        ["status"] = "success",
        ["session_id"] = sessionId,
        ["transcript"] = segment,
        ["transcription"] = segment,
        ["full_transcript"] = full,
        ["is_final"] = isFinal,
        ["is_last"] = isLast,
        ["from_finalize"] = fromFinalize,
        ["language"] = "en",
        ["words"] = new JsonArray(),
    };
}

/// <summary>The Deepgram shape on <c>/v1/listen</c> as a WebSocket.</summary>
internal sealed class DeepgramProtocol : StreamProtocol
{
    public static readonly DeepgramProtocol Instance = new();

    public override string Name => "deepgram";

    public override IReadOnlyCollection<string> AuthSchemes { get; } = [StandIn.AuthSchemes.Token];

    public override ClientMessage Parse(JsonElement message) => TypeOf(message) switch
    {
        "Finalize" => new ClientMessage(ClientMessageKind.Finalize),
        "CloseStream" => new ClientMessage(ClientMessageKind.Close),
        "KeepAlive" => ClientMessage.Ignored,
        var type => new ClientMessage(ClientMessageKind.Unknown, Type: type),
    };

    public override JsonObject Partial(string sessionId, string segment, string delta, string full) =>
        Results(segment, isFinal: false, fromFinalize: false);

    public override JsonObject Final(string sessionId, string segment, string full, bool isLast, bool fromFinalize) =>
        Results(segment, isFinal: true, fromFinalize);

    public override JsonObject Terminal(string sessionId, double audioSeconds) => new()
    {
        ["type"] = "Metadata",
        ["transaction_key"] = "deprecated",
        ["request_id"] = sessionId,
        ["duration"] = Math.Round(audioSeconds, 3),
        ["channels"] = 1,
    };

    public override JsonObject Error(string message) => new() { ["type"] = "Error", ["description"] = message, ["message"] = message };

    private static JsonObject Results(string transcript, bool isFinal, bool fromFinalize) => new()
    {
        ["type"] = "Results",
        ["channel_index"] = new JsonArray(0, 1),
        ["is_final"] = isFinal,
        ["speech_final"] = isFinal,
        ["from_finalize"] = fromFinalize,
        ["channel"] = new JsonObject
        {
            ["alternatives"] = new JsonArray(new JsonObject { ["transcript"] = transcript, ["confidence"] = transcript.Length == 0 ? 0 : 0.95, ["words"] = new JsonArray() }),
        },
    };
}

/// <summary>The OpenAI Realtime transcription shape on <c>/v1/realtime?intent=transcription</c>.</summary>
internal sealed class OpenAiRealtimeProtocol : StreamProtocol
{
    public const string ItemId = "item_standin_1";

    public static readonly OpenAiRealtimeProtocol Instance = new();

    public override string Name => "openai-realtime";

    public override IReadOnlyCollection<string> AuthSchemes { get; } = [StandIn.AuthSchemes.Bearer];

    public override bool BinaryAudio => false;

    public override bool ServerCloses => false;

    public override string? CheckQuery(IQueryCollection query) =>
        query["intent"].ToString() is { Length: > 0 } intent && intent != "transcription" ? $"intent '{intent}' not supported by stand-in" : null;

    public override ClientMessage Parse(JsonElement message)
    {
        switch (TypeOf(message))
        {
            case "input_audio_buffer.append":
                if (!message.TryGetProperty("audio", out var audio) || audio.ValueKind != JsonValueKind.String)
                {
                    return new ClientMessage(ClientMessageKind.Unknown, Type: "input_audio_buffer.append without audio");
                }

                try
                {
                    return new ClientMessage(ClientMessageKind.Audio, Audio: Convert.FromBase64String(audio.GetString()!));
                }
                catch (FormatException)
                {
                    return new ClientMessage(ClientMessageKind.Unknown, Type: "input_audio_buffer.append with invalid base64");
                }

            case "input_audio_buffer.commit":
                return new ClientMessage(ClientMessageKind.Finalize);
            case "session.update" or "transcription_session.update":
                return new ClientMessage(ClientMessageKind.Configure, SampleRate: RateOf(message));
            case var type:
                return new ClientMessage(ClientMessageKind.Unknown, Type: type);
        }
    }

    public override JsonObject Opening(string sessionId) => Session("session.created", sessionId);

    public override JsonObject Configured(string sessionId) => Session("session.updated", sessionId);

    public override JsonObject Partial(string sessionId, string segment, string delta, string full) => new()
    {
        ["type"] = "conversation.item.input_audio_transcription.delta",
        ["item_id"] = ItemId,
        ["content_index"] = 0,
        ["delta"] = delta,
    };

    public override JsonObject Final(string sessionId, string segment, string full, bool isLast, bool fromFinalize) => new()
    {
        ["type"] = "conversation.item.input_audio_transcription.completed",
        ["item_id"] = ItemId,
        ["content_index"] = 0,
        ["transcript"] = segment,
    };

    public override JsonObject Error(string message) => new()
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = "invalid_request_error", ["code"] = "standin_error", ["message"] = message },
    };

    private static JsonObject Session(string type, string sessionId) => new()
    {
        ["type"] = type,
        ["session"] = new JsonObject { ["id"] = sessionId, ["type"] = "transcription" },
    };

    /// <summary><c>session.audio.input.format.rate</c> (GA shape); the beta <c>pcm16</c> shape implies 24 kHz.</summary>
    private static int? RateOf(JsonElement message)
    {
        if (message.TryGetProperty("session", out var session) && session.ValueKind == JsonValueKind.Object)
        {
            if (session.TryGetProperty("audio", out var audio) && audio.ValueKind == JsonValueKind.Object &&
                audio.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object &&
                input.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.Object &&
                format.TryGetProperty("rate", out var rate) && rate.TryGetInt32(out var value))
            {
                return value;
            }

            if (session.TryGetProperty("input_audio_format", out var beta) && beta.ValueKind == JsonValueKind.String)
            {
                return 24_000;
            }
        }

        return null;
    }
}
