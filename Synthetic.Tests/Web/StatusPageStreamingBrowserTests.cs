using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Synthetic.StandIn;
using Synthetic.Tests.Checks.Streaming;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Web;

/// <summary>
/// The status page with a streaming canary, in headless chromium against the monitor watching the stand-in over
/// loopback WebSockets: the stream's sample shows like a batch sample (diff, WER, TTFT, finalize latency, partials), and
/// <c>stream-broken</c> (WebSocket refused, health and batch fine) raises the red banner naming streaming.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class StatusPageStreamingBrowserTests(BrowserFixture browser)
{
    private const string Target = "smallest_stream";
    private const string Stream = $"[data-target={Target}] [data-sample=quick-brown-fox][data-probe=streaming]";
    private static readonly PageWaitForSelectorOptions Soon = new() { Timeout = 20_000 };

    [Fact]
    public async Task Page_HealthyStreamThenStreamBroken_ShowsTtftThenBannerNamingStreaming()
    {
        await using var standIn = await StreamingTestConfig.StartStandInAsync();
        var config = StreamingTestConfig.ForDialects(standIn.BaseUrl, ["smallest-stream"]);
        config["Synthetic:Targets:0:Canary:Enabled"] = "true";
        config["Synthetic:Targets:0:Canary:Interval"] = "3s";
        config["Synthetic:Targets:0:Canary:Timeout"] = "2500ms";
        await using var monitor = await TestMonitor.StartAsync(config);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(monitor.BaseUrl.ToString());

        // The first stream of a fresh process pays for JIT on both sides: wait for a healthy one.
        await page.WaitForSelectorAsync($"[data-target={Target}] [data-path=streaming] [data-outcome=success]", Soon);
        var stream = page.Locator(Stream);
        Assert.Equal("success", await stream.Locator("[data-outcome]").First.GetAttributeAsync("data-outcome"));
        var ttft = TtftPattern().Match(await stream.Locator("[data-field=ttft]").TextContentAsync() ?? string.Empty);
        Assert.True(ttft.Success, await stream.TextContentAsync());
        Assert.True(double.Parse(ttft.Groups[1].Value, CultureInfo.InvariantCulture) > 0);
        Assert.Equal("WER 0.00", await stream.Locator("[data-field=wer]").TextContentAsync());
        Assert.Matches(@"^final \d+(\.\d)? ms after the audio$", await stream.Locator("[data-field=finalize]").TextContentAsync());
        Assert.Matches(@"^[2-9]\d* partials$", await stream.Locator("[data-field=partials]").TextContentAsync());
        Assert.Equal("the quick brown fox jumps over the lazy dog", await stream.Locator("[data-line=heard]").TextContentAsync());
        Assert.Equal(0, await page.Locator("[data-verdict]").CountAsync());
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("streaming-healthy.png"), FullPage = true });

        standIn.SetMode(new StandInMode(ModeNames.StreamBroken));
        var banner = page.Locator($"[data-target={Target}] [data-verdict=false-positive]");
        await banner.WaitForAsync(new() { Timeout = 20_000 });

        var text = await banner.TextContentAsync() ?? string.Empty;
        Assert.Contains("health says healthy, streaming is broken", text, StringComparison.Ordinal);
        Assert.Contains("streaming fails (http_5xx)", text, StringComparison.Ordinal);
        Assert.Equal("rgb(207, 34, 46)", await banner.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.Equal("success", await page.Locator($"[data-target={Target}] [data-path=transcription] [data-outcome]").GetAttributeAsync("data-outcome"));
        Assert.Equal("HTTP 502", await stream.Locator("[data-field=status-code]").TextContentAsync());
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("streaming-broken.png"), FullPage = true });
    }

    [Fact]
    public async Task Page_HostileStreamTranscript_ShownAsTextWithCloseCodeAndWordDiff()
    {
        const string Hostile = "<img src=x onerror=\"window.__pwned=1\">";
        var stream = new
        {
            sample = "s-0", outcome = "failure", reason = "wer_exceeded", detail = Hostile, durationMs = 900.0, handshakeMs = 3.2,
            timeToFirstTranscriptMs = 120.0, finalizeLatencyMs = 80.0, partials = 1, transcript = Hostile, wordErrorRate = 1.0, diff = (string?)null,
            words = new[] { new { op = "substitution", expected = "hello", heard = Hostile } }, closeCode = 1000, statusCode = (int?)null,
        };
        var latest = new { outcome = "failure", reason = "wer_exceeded", detail = Hostile, startedAt = DateTimeOffset.UtcNow, durationMs = 900.0, attempts = 1, streams = new[] { stream } };
        var status = JsonSerializer.Serialize(new
        {
            generatedAt = DateTimeOffset.UtcNow, version = "test",
            targets = new[] { new { name = "t", checks = new[] { new { probe = "streaming", intervalSeconds = 60, latest, history = new[] { "failure" } } } } },
        });
        var config = TestMonitor.FastConfig(new Uri("http://127.0.0.1:1"));
        config["Synthetic:Targets:0:Health:Interval"] = "1m";
        await using var monitor = await TestMonitor.StartAsync(config);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.RouteAsync("**/status", route => route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = status }));

        await page.GotoAsync(monitor.BaseUrl.ToString());
        var card = page.Locator("[data-sample=s-0][data-probe=streaming]");
        await card.WaitForAsync();

        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        Assert.Equal(0, await page.Locator("main img").CountAsync());
        Assert.Equal(Hostile, await card.Locator("[data-line=heard] [data-op=substitution]").TextContentAsync());
        Assert.Equal("close 1000", await card.Locator("[data-field=close-code]").TextContentAsync());
        Assert.Equal("first transcript 120 ms", await card.Locator("[data-field=ttft]").TextContentAsync());
        Assert.Equal("1 partial", await card.Locator("[data-field=partials]").TextContentAsync());
        Assert.Equal(0, await card.Locator("[data-field=status-code]").CountAsync());
    }

    [GeneratedRegex(@"^first transcript (\d+(?:\.\d)?) ms$")]
    private static partial Regex TtftPattern();
}
