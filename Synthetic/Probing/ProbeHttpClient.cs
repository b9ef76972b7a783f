using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using Synthetic.Configuration;
using Synthetic.Results;

namespace Synthetic.Probing;

/// <summary>The parts of an HTTP response a probe looks at, with the body read up to a cap.</summary>
internal sealed record HttpExchange(int StatusCode, byte[] Body, bool Truncated, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders);

/// <summary>
/// One HTTP client per check (a fresh-connection client makes its handler per exchange). Its handler opens connections itself so DNS and connect are timed from real
/// socket events, and wraps the plaintext stream so the request's last write and the first response byte
/// are timed too. Timeouts belong to the caller's resilience pipeline (no HttpClient.Timeout here).
/// Never one handler shared by checks: a pool hands a waiting request whichever new connection is ready first, not
/// necessarily the one it started, so shared hooks could time the wrong check.
/// </summary>
internal sealed class ProbeHttpClient : IDisposable
{
    /// <summary>The first buffer for a body of unknown length (chunked); a declared length rents just that much.</summary>
    private const int ReadChunk = 16 * 1024;

    /// <summary>The response header budget; a server that exceeds it answered, so it is <c>invalid_body</c>, not <c>connection</c>.</summary>
    public const int MaxResponseHeadersKiB = 64;

    private readonly PhaseRecorder _recorder;
    private readonly TlsInspector _tls;
    private readonly bool _reuseConnections;

    /// <summary>The kept-alive client's invoker; null for a fresh-connection client, which makes one per exchange.</summary>
    private readonly HttpMessageInvoker? _invoker;
    private volatile bool _disposed;

    public ProbeHttpClient(TimeProvider time, bool reuseConnections, TlsPlan? tls = null)
    {
        _recorder = new PhaseRecorder(time);
        _tls = new TlsInspector(tls ?? TlsPlan.Default, time);
        _reuseConnections = reuseConnections;
        _invoker = reuseConnections ? CreateInvoker() : null;
    }

    public PhaseTimings LastPhases => _recorder.Snapshot();

    /// <summary>The certificate chain of the last https handshake; null for http targets.</summary>
    public TlsDetails? LastTls => _tls.Last;

    /// <summary>Sends the request and reads at most <paramref name="maxBodyBytes"/> of the body; the rest is never buffered.</summary>
    public async Task<HttpExchange> ExchangeAsync(HttpRequestMessage request, int maxBodyBytes, CancellationToken cancellationToken)
    {
        // A stopped monitor's checks do not probe again, with or without a handler of their own left.
        ObjectDisposedException.ThrowIf(_disposed, this);
        _recorder.Reset();
        _tls.Reset();
        if (!_reuseConnections)
        {
            // A fresh connection per probe, like a new client: the server closes it after answering.
            request.Headers.ConnectionClose = true;
        }

        // A fresh-connection exchange gets a handler of its own for its one connection, dropped with it: between runs the
        // check holds no handler, pool or timer (about 2.5 KB a check; issue 15's 10,000 checks), and the handler's hooks
        // can only ever time this exchange.
        using var own = _invoker is null ? CreateInvoker() : null;
        var invoker = _invoker ?? own!;
        HttpResponseMessage sent;
        try
        {
            sent = await invoker.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException) when (_tls.Failure is { } why)
        {
            // The handler only says the callback refused the certificate; the inspector knows why.
            throw new HttpRequestException(HttpRequestError.SecureConnectionError, why, new AuthenticationException(why));
        }

        using var response = sent;
        var (body, truncated) = await ReadBoundedAsync(response.Content, maxBodyBytes, cancellationToken);
        _recorder.Finished();
        return new HttpExchange((int)response.StatusCode, body, truncated, response.Headers, response.Content.Headers);
    }

    /// <summary>
    /// Reads the body into a buffer rented from the shared pool (grown by renting a larger one, never past
    /// <paramref name="max"/> + 1 bytes) and returns an exact-size copy: per probe that allocates the body's own bytes
    /// only, where a fresh 16 KiB chunk, a MemoryStream and its ToArray copy cost 33.6 KB per probe (issue 15). The copy
    /// is the only thing that leaves this method, so nothing of an earlier probe's body can show through a reused buffer.
    /// </summary>
    internal static async Task<(byte[] Body, bool Truncated)> ReadBoundedAsync(HttpContent content, int max, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } declared && declared > max)
        {
            return ([], true);
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        // One byte past the cap (or past the declared length) so that a body that does not end there is seen at once.
        var limit = (int)Math.Min((long)max + 1, Array.MaxLength);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(content.Headers.ContentLength + 1 ?? ReadChunk, limit));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * buffer.Length, limit));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), cancellationToken);
                if (read == 0)
                {
                    return (length == 0 ? [] : buffer.AsSpan(0, length).ToArray(), false);
                }

                length += read;
                if (length > max)
                {
                    return ([], true);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private HttpMessageInvoker CreateInvoker()
    {
        var handler = new SocketsHttpHandler
        {
            // A health or transcription endpoint that redirects is misconfigured or moved: report it (http_3xx), never follow it.
            AllowAutoRedirect = false,
            MaxResponseHeadersLength = MaxResponseHeadersKiB,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxResponseDrainSize = 64 * 1024,
            ResponseDrainTimeout = TimeSpan.FromMilliseconds(200),
            // A fresh connection is closed after its answer and never sits idle in the pool: a zero lifetime makes the handler
            // keep no pool, so it arms no cleaning timer (an infinite idle timeout still arms one every 30 s; one that scanned
            // an empty pool every 15 s woke the process once per probe at 200 checks, bench scenario 1). Kept-alive
            // connections keep the 1 min idle default.
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            PooledConnectionLifetime = _reuseConnections ? Timeout.InfiniteTimeSpan : TimeSpan.Zero,
            ConnectCallback = ConnectAsync,
            SslOptions = _tls.SslOptions(),
            PlaintextStreamFilter = (context, _) =>
            {
                _recorder.PlaintextReady(context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttps);
                return ValueTask.FromResult<Stream>(new TimingStream(context.PlaintextStream, _recorder));
            },
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        _recorder.DnsStarted();
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        _recorder.DnsFinished();

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _recorder.Connected();
        return new NetworkStream(socket, ownsSocket: true);
    }

    public void Dispose()
    {
        _disposed = true;
        _invoker?.Dispose();
    }
}
