using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synthetic.Hosting;
using Synthetic.Metrics;

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
        var config = new Dictionary<string, string?>
        {
            ["Synthetic:Listen"] = "http://127.0.0.1:0",
            ["Synthetic:Targets:0:Name"] = "t",
            ["Synthetic:Targets:0:BaseUrl"] = "http://127.0.0.1:9/",
            ["Synthetic:Targets:0:Canary:Enabled"] = "false",
        };
        var (app, errors) = SyntheticApp.CreateMonitor([], config);
        Assert.True(app is not null, string.Join("; ", errors));
        await using var built = app;

        var sockets = built.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;

        Assert.Equal(2L * CheckSeriesSet.BufferSize(10_000), sockets.MaxWriteBufferSize);
        Assert.Equal(CheckSeriesSet.MaxBufferSize, CheckSeriesSet.BufferSize(int.MaxValue));
    }
}
