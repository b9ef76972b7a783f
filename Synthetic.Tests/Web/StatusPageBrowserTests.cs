using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Synthetic.StandIn;
using Synthetic.Tests.Support;
using Xunit.Abstractions;

namespace Synthetic.Tests.Web;

/// <summary>
/// The status page in a real headless chromium against the monitor watching the stand-in over loopback.
/// Each state is written as a screenshot to TestResults/status-page/ in the test output folder.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StatusPageBrowserTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const int CanaryIntervalSeconds = 3;
    private const string Token = "page-test-token-7f3a9c1e5b";
    private static readonly PageWaitForSelectorOptions FirstResults = new() { Timeout = 20_000 };

    [Fact]
    public async Task Page_HealthyThenFalsePositive_BannerAppearsWithinTwoCanaryIntervalsWithoutReload()
    {
        await using var standIn = await StartStandInAsync();
        await using var monitor = await TestMonitor.StartAsync(Config(standIn));
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(monitor.BaseUrl.ToString());
        Assert.Equal(200, response!.Status);
        await page.WaitForSelectorAsync("[data-target=standin] [data-path=transcription] [data-outcome=success]", FirstResults);
        await page.WaitForSelectorAsync("[data-target=standin] [data-path=health] [data-outcome=success]", FirstResults);
        Assert.Equal(0, await page.Locator("[data-verdict]").CountAsync());
        var health = page.Locator("[data-target=standin] tr[data-probe=health]");
        // At least two results, all passing: the monitor's very first probe (cold code, 400 ms timeout) can time out on a
        // loaded machine, and then stays in the 10-result strip until newer results push it out (5 s at 500 ms).
        await page.WaitForFunctionAsync(
            "() => { const s = [...document.querySelectorAll('[data-target=standin] tr[data-probe=health] .strip span')];" +
            " return s.length >= 2 && s.every(e => e.className === 's-success'); }", null, new() { Timeout = 20_000 });
        Assert.Equal(1, await health.Locator("svg.spark polyline").CountAsync());
        Assert.All(await health.Locator(".strip span").EvaluateAllAsync<string[]>("es => es.map(e => e.className)"), c => Assert.Equal("s-success", c));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("healthy.png"), FullPage = true });
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        // "Within two canary intervals" counted in canary runs, not wall time, so a loaded machine cannot fail it: the verdict must be
        // up once at most two runs (plus the one in flight at the switch) have finished; the page then shows it at its next refresh.
        var runsAtSwitch = await CanaryRunsAsync(monitor);
        await SetModeAsync(standIn, ModeNames.FalsePositive);
        var switched = Stopwatch.StartNew();
        await monitor.WaitForMetricsAsync(t => MetricsText.Has(t, "synthetic_health_false_positive", 1, ("target", "standin")), TimeSpan.FromSeconds(30),
            "the false-positive verdict");
        var runs = await CanaryRunsAsync(monitor) - runsAtSwitch;
        Assert.True(runs <= 3, $"the verdict came only after {runs} canary runs");
        await page.WaitForSelectorAsync("[data-verdict=false-positive]", FirstResults);
        output.WriteLine($"banner shown {switched.ElapsedMilliseconds} ms after the switch, verdict after {runs} canary runs (interval {CanaryIntervalSeconds} s)");

        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded instead of refreshing itself");
        var banner = page.Locator("[data-target=standin] [data-verdict=false-positive]");
        Assert.Contains("http_5xx", await banner.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("alert", await banner.GetAttributeAsync("role"));
        Assert.Equal("rgb(207, 34, 46)", await banner.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("false-positive.png"), FullPage = true });
    }

    [Fact]
    public async Task Page_WrongTranscript_DiffMarksExactlyTheWrongWords()
    {
        await using var standIn = await StartStandInAsync();
        await using var monitor = await TestMonitor.StartAsync(Config(standIn));
        await using var context = await browser.NewContextAsync(width: 960, height: 760);
        var page = await context.NewPageAsync();
        await page.GotoAsync(monitor.BaseUrl.ToString());
        await page.WaitForSelectorAsync("[data-path=transcription] [data-outcome=success]", FirstResults);

        // The stand-in turns two words in three into "banana": quick, brown, jumps, over, lazy and dog of the quick-brown-fox clip.
        await SetModeAsync(standIn, ModeNames.WrongTranscript);
        await page.WaitForSelectorAsync("[data-sample=quick-brown-fox][data-probe=transcription] .w-sub", FirstResults);

        var sample = page.Locator("[data-sample=quick-brown-fox][data-probe=transcription]");
        Assert.Equal(["quick", "brown", "jumps", "over", "lazy", "dog"], await sample.Locator("[data-line=expected] .w").AllTextContentsAsync());
        Assert.Equal(Enumerable.Repeat("banana", 6), await sample.Locator("[data-line=heard] .w").AllTextContentsAsync());
        Assert.All(await sample.Locator(".diff [data-op]").EvaluateAllAsync<string[]>("es => es.map(e => e.dataset.op)"),
            op => Assert.Equal("substitution", op));
        Assert.Equal("the quick brown fox jumps over the lazy dog", await sample.Locator("[data-line=expected]").TextContentAsync());
        Assert.Equal("the banana banana fox banana banana the banana banana", await sample.Locator("[data-line=heard]").TextContentAsync());
        Assert.Contains("WER 0.67", await sample.TextContentAsync(), StringComparison.Ordinal);
        await page.WaitForSelectorAsync("[data-verdict=false-positive]", FirstResults);
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("wrong-transcript.png"), FullPage = true });
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("readme.png") });
    }

    [Fact]
    public async Task Page_TokenSet_StaysClosedWithoutItAndOpensWithIt()
    {
        await using var standIn = await StartStandInAsync();
        var config = Config(standIn);
        config["Synthetic:Web:BearerToken"] = Token;
        await using var monitor = await TestMonitor.StartAsync(config);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var closed = await page.GotoAsync(monitor.BaseUrl.ToString());
        Assert.Equal(401, closed!.Status);
        Assert.Equal(0, await page.Locator("[data-target]").CountAsync());
        Assert.Equal(401, await page.EvaluateAsync<int>("async () => (await fetch('status')).status"));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("token-closed.png") });

        await page.FillAsync("#token", "a-wrong-token-of-good-length");
        var wrong = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button[type=submit]"), r => r.Url.EndsWith("/login", StringComparison.Ordinal));
        Assert.Equal(401, wrong.Status);
        await page.WaitForSelectorAsync("#token");
        Assert.Equal(0, await page.Locator("[data-target]").CountAsync());

        await page.FillAsync("#token", Token);
        var open = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button[type=submit]"),
            r => r.Url == monitor.BaseUrl.ToString() && r.Request.Method == "GET");
        Assert.Equal(200, open.Status);
        await page.WaitForSelectorAsync("[data-target=standin] [data-path=health] [data-outcome=success]", FirstResults);
        Assert.DoesNotContain(Token, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.All(await context.CookiesAsync(), c => Assert.True(c.HttpOnly && c.Value != Token));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("token-open.png"), FullPage = true });
    }

    [Fact]
    public async Task Page_PhoneInDarkMode_FitsTheScreenInDarkColours()
    {
        await using var standIn = await StartStandInAsync();
        await using var monitor = await TestMonitor.StartAsync(Config(standIn));
        await using var context = await browser.NewContextAsync(width: 390, height: 844, scheme: ColorScheme.Dark);
        var page = await context.NewPageAsync();
        await page.GotoAsync(monitor.BaseUrl.ToString());
        await page.WaitForSelectorAsync("[data-path=transcription] [data-outcome=success]", FirstResults);

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");
        Assert.Equal("rgb(13, 17, 23)", await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("phone-dark.png"), FullPage = true });
    }

    [Fact]
    public async Task Page_Keyboard_TabReachesSectionsAndFocusSurvivesRefresh()
    {
        await using var standIn = await StartStandInAsync();
        await using var monitor = await TestMonitor.StartAsync(Config(standIn));
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(monitor.BaseUrl.ToString());
        await page.WaitForSelectorAsync("[data-path=transcription] [data-outcome=success]", FirstResults);

        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("filter", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("standin/samples", await page.EvaluateAsync<string>("() => document.activeElement.dataset.focusKey"));
        await page.Keyboard.PressAsync("Enter");
        Assert.False(await page.Locator("details[data-key='standin/samples']").EvaluateAsync<bool>("d => d.open"));

        var rendered = await page.EvaluateAsync<int>("() => Number(document.body.dataset.rendered)");
        await page.WaitForFunctionAsync($"() => Number(document.body.dataset.rendered) > {rendered}");
        Assert.Equal("standin/samples", await page.EvaluateAsync<string>("() => document.activeElement.dataset.focusKey"));
        Assert.False(await page.Locator("details[data-key='standin/samples']").EvaluateAsync<bool>("d => d.open"));
    }

    private static async Task SetModeAsync(StandInServer standIn, string mode)
    {
        using var http = new HttpClient { BaseAddress = standIn.BaseUrl };
        using var response = await http.PostAsJsonAsync("/_standin/mode", new { mode });
        response.EnsureSuccessStatusCode();
    }

    private static Task<StandInServer> StartStandInAsync() =>
        StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });

    private static Dictionary<string, string?> Config(StandInServer standIn)
    {
        var config = TestMonitor.FastConfig(standIn.BaseUrl, canary: true);
        config["Synthetic:Targets:0:Canary:Interval"] = $"{CanaryIntervalSeconds}s";
        config["Synthetic:Targets:0:Canary:Timeout"] = "2500ms";
        config["Synthetic:Targets:0:Canary:DegradedLatency"] = "1s";
        config["Synthetic:Targets:0:Canary:MaxLatency"] = "2s";
        return config;
    }

    private static async Task<double> CanaryRunsAsync(TestMonitor monitor)
    {
        var text = await monitor.MetricsAsync();
        return new[] { "success", "degraded", "failure" }
            .Sum(o => MetricsText.Value(text, "synthetic_probe_runs_total", ("probe", "transcription"), ("outcome", o)) ?? 0);
    }
}
