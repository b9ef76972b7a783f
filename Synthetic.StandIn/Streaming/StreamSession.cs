using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synthetic.StandIn.Streaming;

/// <summary>
/// One accepted stream: reads audio and control messages, sends partials while audio arrives (fixture lookup by
/// default, re-decoding when a recognizer is configured) and finals on finalize/close, with the mode's faults.
/// One receive loop; sends (from it and from the partial timers) are serialized by <see cref="_gate"/>.
/// </summary>
internal sealed class StreamSession(WebSocket socket, StreamProtocol protocol, StreamingSetup setup, StandInState state, StandInMode mode,
    int sampleRate, string sessionId) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StreamTranscript _transcript = new();
    private readonly StreamAudio _audio = new(setup, mode, sampleRate);
    private int _nextPartialAt;
    private bool _firstPartialSent;
    private CancellationTokenSource? _background;
    private readonly List<Task> _backgroundTasks = [];

    private bool Stalls => mode.Name == ModeNames.StreamStall;

    private bool SendsPartials => mode.Name != ModeNames.StreamNoPartials && !Stalls;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(StreamingSetup.MaxMessageBytes);
        try
        {
            if (mode.Name == ModeNames.StreamClose1008)
            {
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, "concurrency limit reached", cancellationToken);
                return;
            }

            if (protocol.Opening(sessionId) is { } opening)
            {
                await SendAsync(opening, cancellationToken);
            }

            while (await SocketMessages.ReceiveAsync(socket, buffer, cancellationToken) is var (type, length) && type != WebSocketMessageType.Close)
            {
                if (length < 0)
                {
                    await CloseAsync(WebSocketCloseStatus.MessageTooBig, "message too big", cancellationToken);
                    return;
                }

                var ended = type == WebSocketMessageType.Binary
                    ? protocol.BinaryAudio
                        ? await OnAudioAsync(buffer.AsMemory(0, length), cancellationToken)
                        : await ErrorAsync("binary frames are not supported: send input_audio_buffer.append", cancellationToken)
                    : await OnTextAsync(buffer.AsMemory(0, length), cancellationToken);
                if (ended)
                {
                    return;
                }
            }

            // The client closed: answer its close.
            if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away (or the stand-in stops): nothing to answer.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (_background is { } background)
            {
                await background.CancelAsync();
                await Task.WhenAll(_backgroundTasks).ContinueWith(static _ => { }, TaskScheduler.Default);
                background.Dispose();
            }

            setup.Stats.Finished(_audio.Length);
        }
    }

    private async Task<bool> OnTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        ClientMessage message;
        try
        {
            using var json = JsonDocument.Parse(utf8);
            message = protocol.Parse(json.RootElement);
        }
        catch (JsonException)
        {
            message = new ClientMessage(ClientMessageKind.Unknown, Type: "(not JSON)");
        }

        switch (message.Kind)
        {
            case ClientMessageKind.Audio:
                return await OnAudioAsync(message.Audio, cancellationToken);
            case ClientMessageKind.Configure:
                if (message.SampleRate is { } rate)
                {
                    _audio.SampleRate = rate;
                    setup.Stats.SampleRate(rate);
                }

                await SendAsync(protocol.Configured(sessionId), cancellationToken);
                return false;
            case ClientMessageKind.Finalize:
                await FinalAsync(isLast: false, cancellationToken);
                return false;
            case ClientMessageKind.Close when !Stalls:
                await FinalAsync(isLast: true, cancellationToken);
                await SendAsync(protocol.Terminal(sessionId, _audio.Seconds), cancellationToken);
                if (!protocol.ServerCloses)
                {
                    return false;
                }

                await CloseAsync(WebSocketCloseStatus.NormalClosure, "stream closed", cancellationToken);
                return true;
            case ClientMessageKind.Unknown:
                await SendAsync(protocol.Error($"unknown message type '{message.Type}'"), cancellationToken);
                return false;
            default:
                return false;
        }
    }

    private async Task<bool> OnAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken)
    {
        var first = _audio.Length == 0 && pcm.Length > 0;
        if (!_audio.Append(pcm.Span))
        {
            await CloseAsync(WebSocketCloseStatus.MessageTooBig, "audio too long for the stand-in", cancellationToken);
            return true;
        }

        if (first)
        {
            if (mode.Name == ModeNames.StreamError)
            {
                return await ErrorAsync("streaming backend error", cancellationToken, WebSocketCloseStatus.InternalServerError);
            }

            StartBackground(cancellationToken);
        }

        if (!SendsPartials || setup.Recognizer is not null || _audio.Length < _nextPartialAt)
        {
            return false;
        }

        _nextPartialAt = _audio.Length + (int)(_audio.SampleRate * 2 * StreamingSetup.PartialEvery.TotalSeconds);
        if (setup.FirstPartialDelay is null || _firstPartialSent)
        {
            await PartialAsync(await _audio.HearAsync(final: false, cancellationToken), cancellationToken);
        }

        return false;
    }

    private void StartBackground(CancellationToken cancellationToken)
    {
        if (!SendsPartials)
        {
            return;
        }

        _background = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = _background.Token;
        if (setup.FirstPartialDelay is { } delay)
        {
            var firstAudio = state.TimeProvider.GetTimestamp();
            _backgroundTasks.Add(Task.Run(async () =>
            {
                // Not before the delay: .NET's timers run on a coarse clock (jiffies on Linux) and fired 5 ms early once.
                for (var left = delay; left > TimeSpan.Zero; left = delay - state.TimeProvider.GetElapsedTime(firstAudio))
                {
                    await Task.Delay(left, state.TimeProvider, token);
                }

                await PartialAsync(await _audio.HearSomethingAsync(token), token, first: true);
            }, token));
        }

        if (setup.Recognizer is not null)
        {
            _backgroundTasks.Add(Task.Run(async () =>
            {
                var decoded = 0;
                while (!token.IsCancellationRequested)
                {
                    await Task.Delay(StreamingSetup.DecodeEvery, state.TimeProvider, token);
                    if (_audio.Length == decoded)
                    {
                        continue;
                    }

                    decoded = _audio.Length;
                    var words = await _audio.HearAsync(final: false, token);
                    if (setup.FirstPartialDelay is null || _firstPartialSent)
                    {
                        await PartialAsync(words, token);
                    }
                }
            }, token));
        }
    }

    private async Task PartialAsync(string[] words, CancellationToken cancellationToken, bool first = false)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_transcript.Hear(words) is var (segment, delta))
            {
                await SendLockedAsync(protocol.Partial(sessionId, segment, delta, _transcript.Full), cancellationToken);
                _firstPartialSent = true;
            }
            else if (first)
            {
                _firstPartialSent = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task FinalAsync(bool isLast, CancellationToken cancellationToken)
    {
        if (Stalls)
        {
            return;
        }

        if (mode.Name == ModeNames.StreamSlowFinal && !await state.WaitAsync(TimeSpan.FromMilliseconds(mode.DelayMs), cancellationToken))
        {
            return;
        }

        var words = await _audio.HearAsync(final: true, cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var segment = _transcript.Finalize(words);
            await SendLockedAsync(protocol.Final(sessionId, segment, _transcript.Full, isLast, fromFinalize: !isLast), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> ErrorAsync(string message, CancellationToken cancellationToken, WebSocketCloseStatus? close = null)
    {
        await SendAsync(protocol.Error(message), cancellationToken);
        if (close is { } status)
        {
            await CloseAsync(status, message, cancellationToken);
            return true;
        }

        return false;
    }

    private async Task SendAsync(JsonObject? message, CancellationToken cancellationToken)
    {
        if (message is null)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await SendLockedAsync(message, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task SendLockedAsync(JsonObject message, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString(JsonResults.Options)), WebSocketMessageType.Text, true, cancellationToken);

    private Task CloseAsync(WebSocketCloseStatus status, string description, CancellationToken cancellationToken) =>
        SocketMessages.CloseAsync(socket, _gate, status, description, cancellationToken);

    public void Dispose() => _gate.Dispose();
}
