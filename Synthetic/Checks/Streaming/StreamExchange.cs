using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Synthetic.Configuration;
using Synthetic.Probing;
using Synthetic.Results;

namespace Synthetic.Checks.Streaming;

/// <summary>
/// One stream over <see cref="ClientWebSocket"/>: upgrade, frames at Pace × real time while reading the server's
/// messages, finalize/close, the final within the timeout, then a bounded close. Bounded throughout: one message
/// is read into at most 1 MiB (a larger one ends the run unread), at most <see cref="MaxMessages"/> messages, and
/// nothing outlives <see cref="StreamingPlan.Timeout"/> (plus <see cref="CloseGrace"/> after a final).
/// </summary>
internal sealed class StreamExchange(IStreamingDialect dialect, TimeProvider time, Redactor redactor)
{
    public const int MaxMessageBytes = 1024 * 1024;
    public const int MaxMessages = 10_000;
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(1);

    public async Task<StreamRun> RunAsync(Uri url, string? authorization, StreamAudioFrames audio, StreamingPlan options,
        CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (authorization is not null)
        {
            socket.Options.SetRequestHeader("Authorization", authorization);
        }

        var started = time.GetTimestamp();
        try
        {
            await socket.ConnectAsync(url, linked.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HandshakeFailed(socket, ex, timeout.IsCancellationRequested, options.Timeout);
        }

        var handshake = time.GetElapsedTime(started);
        var clock = new StreamClock(time);
        var reader = new Reader(dialect.CreateParser(), clock);
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
        var sender = Task.CompletedTask;
        var buffer = ArrayPool<byte>.Shared.Rent(MaxMessageBytes);
        (string? Reason, string Detail) end;
        try
        {
            foreach (var message in dialect.StartMessages(options, audio.SampleRate))
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, linked.Token);
            }

            sender = SendAudioAsync(socket, audio, options.Pace, clock, sending.Token);
            end = await reader.ReadAsync(socket, buffer, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            end = (Reasons.Timeout, clock.AllAudioSent
                ? $"no final transcript within {DurationParser.Format(options.Timeout)} ({reader.Partials} partials, last audio {Ms(clock.SinceLastAudio)} ago)"
                : $"timeout after {DurationParser.Format(options.Timeout)} while sending audio ({clock.FramesSent} of {audio.Frames.Count} frames)");
        }
        catch (WebSocketException ex) when (!cancellationToken.IsCancellationRequested)
        {
            end = (Reasons.StreamClosed, $"connection lost before the final transcript ({ex.WebSocketErrorCode})");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (end.Reason is not null || !sender.IsCompleted)
        {
            await sending.CancelAsync();
        }

        await sender.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        if (end.Reason is null)
        {
            await CloseAsync(socket, linked.Token);
        }

        var closeCode = reader.CloseCode ?? (socket.CloseStatus is { } status ? (int)status : null);
        return new StreamRun(end.Reason, redactor.Apply(end.Detail), 101, handshake, clock.TimeToFirstTranscript, clock.FinalizeLatency,
            reader.Partials, reader.Final, closeCode);
    }

    private async Task SendAudioAsync(ClientWebSocket socket, StreamAudioFrames audio, double pace, StreamClock clock, CancellationToken token)
    {
        var start = time.GetTimestamp();
        for (var i = 0; i < audio.Frames.Count; i++)
        {
            var wait = (audio.Offsets[i] / pace) - time.GetElapsedTime(start);
            if (i > 0 && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, token);
            }

            if (i == 0)
            {
                clock.FirstAudio();
            }

            var frame = audio.Frames[i];
            await socket.SendAsync(frame.Bytes, frame.Type, true, token);
            clock.FramesSent = i + 1;
        }

        clock.LastAudio();
        foreach (var message in dialect.EndOfAudio)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, token);
        }
    }

    /// <summary>After the final: the dialect's goodbye, our close, and at most <see cref="CloseGrace"/> for the server's.</summary>
    private async Task CloseAsync(ClientWebSocket socket, CancellationToken token)
    {
        using var grace = new CancellationTokenSource(CloseGrace, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, grace.Token);
        try
        {
            foreach (var message in dialect.AfterFinal)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, linked.Token);
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", linked.Token);
            }

            var discard = new byte[4096];
            while (socket.State == WebSocketState.CloseSent)
            {
                await socket.ReceiveAsync(discard.AsMemory(), linked.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // A server that never closes (or drops the connection) is its problem: the final already arrived.
            socket.Abort();
        }
    }

    private static StreamRun HandshakeFailed(ClientWebSocket socket, Exception ex, bool timedOut, TimeSpan timeout)
    {
        var status = (int)socket.HttpStatusCode;
        if (timedOut)
        {
            return Failed(Reasons.Timeout, $"no WebSocket upgrade within {DurationParser.Format(timeout)}", null);
        }

        if (status is > 0 and not 101)
        {
            return status is >= 200 and < 300
                ? Failed(Reasons.InvalidBody, $"{status} without a WebSocket upgrade", status)
                : Failed(Reasons.ForStatus(status), $"{status} at the WebSocket upgrade", status);
        }

        var (reason, detail) = FailureClassifier.Classify(ex.InnerException ?? ex);
        return Failed(reason, detail, null);
    }

    private static StreamRun Failed(string reason, string detail, int? status) => new(reason, detail, status, null, null, null, 0, null, null);

    private static string Ms(TimeSpan? span) => span is { } s ? $"{s.TotalMilliseconds:F0} ms" : "?";

    /// <summary>The receive side: whole messages into the run's buffer, parsed by the dialect.</summary>
    private sealed class Reader(IStreamParser parser, StreamClock clock)
    {
        private int _messages;

        public int Partials { get; private set; }

        public string? Final { get; private set; }

        public int? CloseCode { get; private set; }

        public async Task<(string? Reason, string Detail)> ReadAsync(ClientWebSocket socket, byte[] buffer, CancellationToken token)
        {
            while (true)
            {
                var (type, length) = await ReceiveAsync(socket, buffer, token);
                if (length < 0)
                {
                    return (Reasons.InvalidBody, $"a server message larger than {MaxMessageBytes / (1024 * 1024)} MiB (not read further)");
                }

                if (type == WebSocketMessageType.Close)
                {
                    CloseCode = socket.CloseStatus is { } status ? (int)status : null;
                    var description = TextSnippet.Of(socket.CloseStatusDescription, 80);
                    return (CloseCode == (int)WebSocketCloseStatus.PolicyViolation ? Reasons.RateLimited : Reasons.StreamClosed,
                        $"server closed the stream ({CloseCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code"} {description}) before the final transcript");
                }

                if (++_messages > MaxMessages)
                {
                    return (Reasons.InvalidBody, $"more than {MaxMessages} messages without a final transcript");
                }

                if (type != WebSocketMessageType.Text)
                {
                    continue;
                }

                StreamEvent message;
                try
                {
                    message = parser.Parse(buffer.AsSpan(0, length));
                }
                catch (JsonException)
                {
                    message = StreamEvent.Invalid("not JSON: " + TextSnippet.Of(Encoding.UTF8.GetString(buffer, 0, Math.Min(length, 200)), 60));
                }

                switch (message.Kind)
                {
                    case StreamEventKind.Partial when message.Text.Length > 0:
                        clock.Transcript();
                        Partials++;
                        break;
                    case StreamEventKind.Final:
                        clock.Final();
                        if (message.Text.Length > 0)
                        {
                            clock.Transcript();
                        }

                        Final = message.Text;
                        return (null, string.Empty);
                    case StreamEventKind.Error:
                        return (Reasons.StreamClosed, "server error before the final transcript: " + TextSnippet.Of(message.Text, 120));
                    case StreamEventKind.Invalid:
                        return (Reasons.InvalidBody, "not a stream message of this dialect: " + message.Text);
                }
            }
        }

        /// <summary>One whole message; length -1 when it does not fit the buffer.</summary>
        private static async Task<(WebSocketMessageType Type, int Length)> ReceiveAsync(ClientWebSocket socket, byte[] buffer, CancellationToken token)
        {
            var length = 0;
            var cap = Math.Min(buffer.Length, MaxMessageBytes);
            while (true)
            {
                if (length == cap)
                {
                    return (WebSocketMessageType.Binary, -1);
                }

                var result = await socket.ReceiveAsync(buffer.AsMemory(length, cap - length), token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (WebSocketMessageType.Close, 0);
                }

                length += result.Count;
                if (result.EndOfMessage)
                {
                    return (result.MessageType, length);
                }
            }
        }
    }
}
