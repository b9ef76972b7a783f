using System.Text;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Probing;

/// <summary>The probe client against a real HTTP/1.1 server on a loopback socket (one per class).</summary>
public sealed class ProbeHttpClientTests(LoopbackHttpServer server) : IClassFixture<LoopbackHttpServer>, IDisposable
{
    private const int Cap = 1024;

    /// <summary>A guard against a hang if the client regressed to reading a stalled body; not a timing assertion.</summary>
    private readonly CancellationTokenSource _guard = new(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Exchange_SmallBodyOnNewConnection_StatusBodyAndEveryPhase()
    {
        using var client = CreateSut(reuseConnections: false);

        var exchange = await client.ExchangeAsync(Get("/small"), Cap, Token());
        var phases = client.LastPhases;

        Assert.Equal(200, exchange.StatusCode);
        Assert.Equal("hello", Encoding.ASCII.GetString(exchange.Body));
        Assert.False(exchange.Truncated);
        Assert.Equal(5, exchange.ContentHeaders.ContentLength);
        Assert.Equal(["dns", "connect", "tls", "request", "processing", "transfer"], phases.Present().Select(p => p.Phase));
        Assert.Equal(0, phases.Tls);
        Assert.All(phases.Present(), p => Assert.True(p.Seconds >= 0, $"{p.Phase} = {p.Seconds}"));
    }

    [Theory]
    [InlineData("/sized/1024")]
    [InlineData("/chunked/1024")]
    public async Task Exchange_BodyExactlyAtCap_ReadWhole(string path)
    {
        using var client = CreateSut(reuseConnections: false);

        var exchange = await client.ExchangeAsync(Get(path), Cap, Token());

        Assert.False(exchange.Truncated);
        Assert.Equal(Cap, exchange.Body.Length);
    }

    [Fact]
    public async Task Exchange_ChunkedBodyOverCap_TruncatedAndNothingKept()
    {
        using var client = CreateSut(reuseConnections: false);

        var exchange = await client.ExchangeAsync(Get("/chunked/100000"), Cap, Token());

        Assert.Equal(200, exchange.StatusCode);
        Assert.True(exchange.Truncated);
        Assert.Empty(exchange.Body);
    }

    [Fact]
    public async Task Exchange_ContentLengthOverCap_TruncatedWithoutReadingTheBody()
    {
        using var client = CreateSut(reuseConnections: false);

        // The server declares 10 MB and then stalls after 10 bytes: only a client that never reads the body returns.
        var exchange = await client.ExchangeAsync(Get("/declared-huge"), Cap, Token());

        Assert.True(exchange.Truncated);
        Assert.Empty(exchange.Body);
        Assert.Equal(10_000_000, exchange.ContentHeaders.ContentLength);
    }

    [Fact]
    public async Task Exchange_WithoutReuse_FreshConnectionPerProbeAndConnectTimedEachTime()
    {
        using var client = CreateSut(reuseConnections: false);
        var marker = Guid.NewGuid().ToString("N");

        await client.ExchangeAsync(Get($"/small?m={marker}"), Cap, Token());
        await client.ExchangeAsync(Get($"/small?m={marker}"), Cap, Token());
        var second = client.LastPhases;

        var seen = server.SeenWith(marker);
        Assert.Equal(2, seen.Count);
        Assert.NotEqual(seen[0].Connection, seen[1].Connection);
        Assert.All(seen, r => Assert.Equal("close", r.Headers["Connection"], ignoreCase: true));
        Assert.NotNull(second.Connect);
        Assert.NotNull(second.Dns);
    }

    [Fact]
    public async Task Exchange_WithReuse_OneConnectionAndNoConnectPhasesOnTheSecond()
    {
        using var client = CreateSut(reuseConnections: true);
        var marker = Guid.NewGuid().ToString("N");

        await client.ExchangeAsync(Get($"/small?m={marker}"), Cap, Token());
        var first = client.LastPhases;
        await client.ExchangeAsync(Get($"/small?m={marker}"), Cap, Token());
        var second = client.LastPhases;

        var seen = server.SeenWith(marker);
        Assert.Equal(2, seen.Count);
        Assert.Equal(seen[0].Connection, seen[1].Connection);
        Assert.DoesNotContain("Connection", seen[0].Headers.Keys);
        Assert.NotNull(first.Connect);
        Assert.Null(second.Dns);
        Assert.Null(second.Connect);
        Assert.Null(second.Tls);
        Assert.NotNull(second.Request);
        Assert.NotNull(second.Processing);
        Assert.NotNull(second.Transfer);
    }

    [Fact]
    public async Task Exchange_ErrorStatus_StatusAndHeadersReturnedNotThrown()
    {
        using var client = CreateSut(reuseConnections: false);

        var exchange = await client.ExchangeAsync(Get("/status/503"), Cap, Token());

        Assert.Equal(503, exchange.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), exchange.Headers.RetryAfter?.Delta);
        Assert.Empty(exchange.Body);
    }

    [Fact]
    public async Task Exchange_Redirect_NotFollowed()
    {
        using var client = CreateSut(reuseConnections: false);
        var marker = Guid.NewGuid().ToString("N");

        var exchange = await client.ExchangeAsync(Get($"/redirect?m={marker}"), Cap, Token());

        Assert.Equal(302, exchange.StatusCode);
        Assert.Equal("/small", exchange.Headers.Location?.OriginalString);
        Assert.Single(server.SeenWith(marker));
    }

    [Theory]
    [InlineData("/huge-headers")]
    [InlineData("/garbage")]
    public async Task Exchange_ServerUpButNotAUsableResponse_InvalidBodyNotConnection(string path)
    {
        using var client = CreateSut(reuseConnections: false);

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => client.ExchangeAsync(Get(path), Cap, Token()));

        Assert.Equal(Reasons.InvalidBody, FailureClassifier.Classify(exception).Reason);
        Assert.False(FailureClassifier.IsConnectionLevel(exception), exception.ToString());
    }

    [Fact]
    public async Task Exchange_ConnectionRefused_ConnectionLevelErrorAndNoPhases()
    {
        using var client = CreateSut(reuseConnections: false);
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}/small");

        var exception = await Assert.ThrowsAsync<HttpRequestException>(
            () => client.ExchangeAsync(new HttpRequestMessage(HttpMethod.Get, closed), Cap, Token()));

        Assert.True(FailureClassifier.IsConnectionLevel(exception), exception.ToString());
        Assert.Equal(PhaseTimings.None, client.LastPhases);
    }

    private static ProbeHttpClient CreateSut(bool reuseConnections) => new(TimeProvider.System, reuseConnections);

    private HttpRequestMessage Get(string pathAndQuery) => new(HttpMethod.Get, new Uri(server.BaseUri, pathAndQuery));

    private CancellationToken Token() => _guard.Token;

    public void Dispose() => _guard.Dispose();
}
