using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Probing;

/// <summary>The skeleton health and canary share: an answer or a classified reason, attempts counted, never a throw but on shutdown.</summary>
public sealed class ProbeExchangeTests : IClassFixture<LoopbackHttpServer>
{
    private readonly LoopbackHttpServer _server;

    public ProbeExchangeTests(LoopbackHttpServer server) => _server = server;

    private static ProbeExchange CreateSut(int retries = 0) =>
        new(TimeProvider.System, reuseConnections: false, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), retries);

    [Fact]
    public async Task SendAsync_Answer_ReturnsItWithPhasesAndOneAttempt()
    {
        using var sut = CreateSut();

        var outcome = await sut.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(_server.BaseUri, "/small")), 1024, CancellationToken.None);

        Assert.NotNull(outcome.Answer);
        Assert.Null(outcome.Reason);
        Assert.Equal(1, outcome.Attempts);
        Assert.NotNull(outcome.Phases.Connect);
    }

    [Fact]
    public async Task SendAsync_RefusedWithOneRetry_TwoAttemptsAndConnectionReason()
    {
        using var sut = CreateSut(retries: 1);
        var refused = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var made = 0;

        var outcome = await sut.SendAsync(() =>
        {
            made++;
            return new HttpRequestMessage(HttpMethod.Get, refused);
        }, 1024, CancellationToken.None);

        Assert.Null(outcome.Answer);
        Assert.Equal(Reasons.Connection, outcome.Reason);
        Assert.Equal(2, outcome.Attempts);
        Assert.Equal(2, made);
    }

    [Fact]
    public async Task SendAsync_ServerAnsweredGarbage_NoRetryInvalidBody()
    {
        using var sut = CreateSut(retries: 1);

        var outcome = await sut.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(_server.BaseUri, "/garbage")), 1024, CancellationToken.None);

        Assert.Equal(Reasons.InvalidBody, outcome.Reason);
        Assert.Equal(1, outcome.Attempts);
    }

    [Fact]
    public async Task SendAsync_CallerCancelled_Throws()
    {
        using var sut = CreateSut();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            sut.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(_server.BaseUri, "/small")), 1024, cts.Token));
    }
}
