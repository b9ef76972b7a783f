using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synthetic.Hosting;
using Synthetic.Metrics;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Hosting;

/// <summary>
/// A large scrape is written a buffer at a time; the connection must hold two of the largest, so the next is written
/// while the last is sent (Kestrel's default of 64 KiB made every write wait for its send).
/// </summary>
public sealed class ScrapeBufferTests
{
    [Fact]
    public async Task Monitor_Built_ConnectionsBufferTwoOfTheLargestExpositionBuffers()
    {
        var (app, errors) = SyntheticApp.CreateMonitor([], TestMonitor.FastConfig(new Uri("http://127.0.0.1:9/")));
        Assert.True(app is not null, string.Join("; ", errors));
        await using var built = app;

        var sockets = built.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;

        Assert.Equal(2L * CheckSeriesSet.BufferSize(10_000), sockets.MaxWriteBufferSize);
        Assert.Equal(CheckSeriesSet.MaxBufferSize, CheckSeriesSet.BufferSize(int.MaxValue));
    }
}
