using System.Net.WebSockets;
using System.Text.Json;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.StandIn.Streaming;

/// <summary><c>/_standin/stats</c> counts streaming sessions per dialect, under <c>streaming</c>, next to the HTTP counters.</summary>
public sealed class StandInStreamStatsTests
{
    [Fact]
    public async Task Stats_SessionsInTwoDialects_CountedPerDialect()
    {
        await using var standIn = await StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });
        await OpenAndCloseAsync(standIn, "/v1/listen/stream?language=en&sample_rate=16000&encoding=linear16");
        await OpenAndCloseAsync(standIn, "/v1/listen/stream?language=en&sample_rate=16000&encoding=linear16");
        await OpenAndCloseAsync(standIn, "/v1/listen?encoding=linear16&sample_rate=16000");

        using var http = new HttpClient { BaseAddress = standIn.BaseUrl };
        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri("/_standin/stats", UriKind.Relative)));

        var streaming = json.RootElement.GetProperty("streaming");
        Assert.Equal(3, streaming.GetProperty("sessions").GetInt64());
        var byDialect = streaming.GetProperty("sessionsByDialect");
        Assert.Equal(2, byDialect.GetProperty("smallest-stream").GetInt64());
        Assert.Equal(1, byDialect.GetProperty("deepgram").GetInt64());
        Assert.False(byDialect.TryGetProperty("openai-realtime", out _));
        Assert.Equal(2, standIn.StreamStats.SessionsByDialect["smallest-stream"]);
        // The HTTP counters are still there, unchanged in shape.
        Assert.True(json.RootElement.TryGetProperty("totalRequests", out _), json.RootElement.ToString());
    }

    private static async Task OpenAndCloseAsync(StandInServer standIn, string pathAndQuery)
    {
        using var socket = new ClientWebSocket();
        var url = new UriBuilder(new Uri(standIn.BaseUrl, pathAndQuery)) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(url, CancellationToken.None);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }
}
