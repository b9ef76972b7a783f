using System.Net.WebSockets;

namespace Synthetic.StandIn.Streaming;

/// <summary>Whole-message reads with a cap, and a close handshake bounded in time.</summary>
internal static class SocketMessages
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    /// <summary>One whole message; length -1 when it is larger than the buffer (read no further).</summary>
    public static async Task<(WebSocketMessageType Type, int Length)> ReceiveAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                return (WebSocketMessageType.Binary, -1);
            }

            var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
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

    /// <summary>Sends our close, then waits (bounded) for the client's, so the client sees a clean close code.</summary>
    public static async Task CloseAsync(WebSocket socket, SemaphoreSlim gate, WebSocketCloseStatus status, string description, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await socket.CloseOutputAsync(status, description, cancellationToken);
        }
        finally
        {
            gate.Release();
        }

        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(CloseGrace);
        var buffer = new byte[4096];
        while (socket.State == WebSocketState.CloseSent)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), grace.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
        }
    }
}
