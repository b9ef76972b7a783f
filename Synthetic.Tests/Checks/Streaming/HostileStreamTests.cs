using Synthetic.Checks.Streaming;
using Synthetic.Results;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Checks.Streaming;

/// <summary>
/// Servers that misbehave on purpose: the stream is bounded (messages, message size, time), ends with the right reason,
/// and the target's other checks keep running. Serial: one test measures allocations.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class HostileStreamTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task HostileServers_Monitor_BoundedRightReasonsAndHealthUnaffected()
    {
        await using var server = await HostileStreamServer.StartAsync();
        string[] paths = ["/flood", "/never-close", "/huge"];
        var config = StreamingTestConfig.ForDialects(server.BaseUrl, ["smallest-stream", "smallest-stream", "smallest-stream"]);
        for (var i = 0; i < paths.Length; i++)
        {
            config[$"Synthetic:Targets:{i}:Name"] = paths[i].Trim('/').Replace('-', '_');
            config[$"Synthetic:Targets:{i}:Streaming:Path"] = paths[i];
        }

        await using var monitor = await TestMonitor.StartAsync(config);

        var flood = await monitor.WaitForResultAsync("flood", "streaming", _ => true, Wait, "a flood result");
        Assert.Equal("invalid_body", flood.GetProperty("reason").GetString());
        Assert.Contains($"more than {StreamExchange.MaxMessages} messages", flood.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var huge = await monitor.WaitForResultAsync("huge", "streaming", _ => true, Wait, "a huge-message result");
        Assert.Equal("invalid_body", huge.GetProperty("reason").GetString());
        Assert.Contains("larger than 1 MiB", huge.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The final arrived, so the run passes; the server's silence after it costs at most the close grace.
        var neverClose = await monitor.WaitForResultAsync("never_close", "streaming", _ => true, Wait, "a never-close result");
        Assert.True(neverClose.GetProperty("outcome").GetString() == "success", neverClose.ToString());
        var audioAtPace = 2909 / 4.0;
        Assert.True(neverClose.GetProperty("durationMs").GetDouble() < audioAtPace + StreamExchange.CloseGrace.TotalMilliseconds + 700,
            $"a server that never closes held the run for {neverClose.GetProperty("durationMs").GetDouble()} ms");

        // Never past the 2.5 s timeout (plus what cancelling a socket takes on a loaded machine).
        foreach (var result in new[] { flood, huge, neverClose })
        {
            Assert.True(result.GetProperty("streams")[0].GetProperty("durationMs").GetDouble() < 2500 + 300, $"run not bounded by the timeout: {result}");
        }

        // Health of every hostile target kept passing while its streams misbehaved.
        var metrics = await monitor.WaitForMetricsAsync(
            t => paths.All(p => MetricsText.AtLeast(t, "synthetic_probe_runs_total", 4, ("target", p.Trim('/').Replace('-', '_')), ("probe", "health"), ("outcome", "success"))
                                && MetricsText.Has(t, "synthetic_probe_success", 1, ("target", p.Trim('/').Replace('-', '_')), ("probe", "health"))),
            Wait, "health runs of every hostile target, the last of each passing");
        foreach (var path in paths)
        {
            Assert.True(MetricsText.Has(metrics, "synthetic_probe_success", 1, ("target", path.Trim('/').Replace('-', '_')), ("probe", "health")), path);
        }
    }

    [Fact]
    public async Task TenMegabyteMessage_OneStream_AllocatesFarLessThanTheMessage()
    {
        await using var server = await HostileStreamServer.StartAsync();
        var canary = StreamTimeToFirstTranscriptTests.CreateCanary(server.BaseUrl, "smallest-stream", path: "/huge");
        await canary.RunAsync(CancellationToken.None);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await canary.RunAsync(CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(Reasons.InvalidBody, result.Reason);
        Console.WriteLine($"a stream against a {HostileStreamServer.HugeMessageBytes / (1024 * 1024)} MB message allocated {allocated / 1024} KiB (both sides)");
        Assert.True(allocated < HostileStreamServer.HugeMessageBytes / 2, $"{allocated} bytes allocated for one stream");
    }
}
