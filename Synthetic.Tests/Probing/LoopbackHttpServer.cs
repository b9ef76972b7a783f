using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Synthetic.Tests.Probing;

/// <summary>One request as the server saw it: which connection carried it, its target and its headers.</summary>
internal sealed record SeenRequest(int Connection, string Target, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 written on a TcpListener, so a test controls every byte: declared lengths
/// that lie, chunked bodies, keep-alive versus close. Routes: <c>/small</c> ("hello"), <c>/sized/N</c> (N bytes with a
/// Content-Length), <c>/chunked/N</c> (N bytes chunked), <c>/declared-huge</c> (declares 10 MB, sends 10 bytes, then
/// stalls), <c>/status/N</c> (status N with Retry-After: 7), <c>/redirect</c> (302 to /small), <c>/huge-headers</c>
/// (a 70 KiB header), <c>/garbage</c> (not HTTP). Shared by a test class through <see cref="IClassFixture{T}"/>.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<SeenRequest> _seen = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly Task _accepting;
    private int _connections;

    public LoopbackHttpServer()
    {
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri BaseUri { get; }

    internal IReadOnlyList<SeenRequest> SeenWith(string marker) =>
        [.. _seen.Where(r => r.Target.Contains(marker, StringComparison.Ordinal))];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _clients.Add(client);
            var id = Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client, id));
        }
    }

    private async Task ServeAsync(TcpClient client, int connection)
    {
        try
        {
            var stream = client.GetStream();
            var pending = new List<byte>();
            while (await ReadHeadAsync(stream, pending) is { } head)
            {
                var lines = head.Split("\r\n");
                var target = lines[0].Split(' ')[1];
                var headers = lines.Skip(1).Where(l => l.Contains(':', StringComparison.Ordinal))
                    .ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)].Trim(), l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
                _seen.Enqueue(new SeenRequest(connection, target, headers));
                var close = headers.TryGetValue("Connection", out var value) && value.Equals("close", StringComparison.OrdinalIgnoreCase);
                await AnswerAsync(stream, target.Split('?')[0], close);
                if (close)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away; nothing to answer.
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task AnswerAsync(NetworkStream stream, string path, bool close)
    {
        var connection = close ? "Connection: close\r\n" : string.Empty;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (segments)
        {
            case ["small"]:
                await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n{connection}\r\nhello");
                break;
            case ["sized", var n]:
                var size = int.Parse(n, CultureInfo.InvariantCulture);
                await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n{connection}\r\n" + new string('a', size));
                break;
            case ["chunked", var n]:
                var remaining = int.Parse(n, CultureInfo.InvariantCulture);
                await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n{connection}\r\n");
                while (remaining > 0)
                {
                    var chunk = Math.Min(remaining, 4096);
                    await WriteAsync(stream, $"{chunk:x}\r\n{new string('c', chunk)}\r\n");
                    remaining -= chunk;
                }

                await WriteAsync(stream, "0\r\n\r\n");
                break;
            case ["declared-huge"]:
                await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n0123456789");

                // Never sends the rest: a client that tried to read the declared body would wait here forever.
                await Task.Delay(Timeout.InfiniteTimeSpan, _stop.Token);
                break;
            case ["redirect"]:
                await WriteAsync(stream, $"HTTP/1.1 302 Found\r\nLocation: /small\r\nContent-Length: 0\r\n{connection}\r\n");
                break;
            case ["huge-headers"]:
                await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nX-Padding: {new string('p', 70 * 1024)}\r\nContent-Length: 2\r\n{connection}\r\nok");
                break;
            case ["garbage"]:
                await WriteAsync(stream, "SSH-2.0-OpenSSH_9.6\r\n\r\n");
                break;
            case ["status", var code]:
                await WriteAsync(stream, $"HTTP/1.1 {code} Status\r\nRetry-After: 7\r\nContent-Length: 0\r\n{connection}\r\n");
                break;
            default:
                await WriteAsync(stream, $"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n{connection}\r\n");
                break;
        }
    }

    private static async Task WriteAsync(NetworkStream stream, string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text));

    /// <summary>Reads up to the blank line ending a request head; null when the client closed the connection.</summary>
    private async Task<string?> ReadHeadAsync(NetworkStream stream, List<byte> pending)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var end = IndexOfBlankLine(pending);
            if (end >= 0)
            {
                var head = Encoding.ASCII.GetString([.. pending.Take(end)]);
                pending.RemoveRange(0, end + 4);
                return head;
            }

            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return null;
            }

            pending.AddRange(buffer.AsSpan(0, read));
        }
    }

    private static int IndexOfBlankLine(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _accepting.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
