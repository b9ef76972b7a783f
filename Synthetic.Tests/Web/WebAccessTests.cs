using System.Net;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Web;

/// <summary>The token check over real HTTP: which paths it closes, what a 401 says (nothing), and the sign-in cookie.</summary>
public sealed class WebAccessTests
{
    private const string Token = "0123456789abcdef-status-token";

    [Fact]
    public async Task Get_NoToken_ClosesPageAndStatusButNotHealthzOrMetrics()
    {
        await using var monitor = await StartAsync(protectMetrics: false);

        var page = await monitor.Http.GetAsync("/");
        var status = await monitor.Http.GetAsync("/status");
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
        Assert.Equal("Bearer", status.Headers.WwwAuthenticate.ToString());
        Assert.Empty(await status.Content.ReadAsByteArrayAsync());
        var form = await page.Content.ReadAsStringAsync();
        Assert.Contains("name=\"token\"", form, StringComparison.Ordinal);
        Assert.DoesNotContain("standin", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await monitor.Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await monitor.Http.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Get_ProtectMetrics_ClosesMetricsToo()
    {
        await using var monitor = await StartAsync(protectMetrics: true);

        Assert.Equal(HttpStatusCode.Unauthorized, (await monitor.Http.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(monitor, "/metrics", "Bearer " + Token)).StatusCode);
    }

    [Theory]
    [InlineData("Bearer " + Token, HttpStatusCode.OK)]
    [InlineData("bearer " + Token, HttpStatusCode.OK)]
    [InlineData("Bearer " + Token + "x", HttpStatusCode.Unauthorized)]
    [InlineData("Bearer 0123456789abcdef-status-toke", HttpStatusCode.Unauthorized)]
    [InlineData("Basic " + Token, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer ", HttpStatusCode.Unauthorized)]
    public async Task Get_AuthorizationHeader_OnlyTheExactTokenPasses(string header, HttpStatusCode expected)
    {
        await using var monitor = await StartAsync(protectMetrics: false);

        var response = await Send(monitor, "/status", header);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Login_RightToken_SetsHttpOnlyStrictCookieThatOpensThePage()
    {
        await using var monitor = await StartAsync(protectMetrics: false);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = monitor.BaseUrl };

        var wrong = await http.PostAsync("/login", new FormUrlEncodedContent([new("token", "not-the-token-at-all")]));
        var right = await http.PostAsync("/login", new FormUrlEncodedContent([new("token", Token)]));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.SeeOther, right.StatusCode);
        var cookie = Assert.Single(right.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Token, cookie, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/status");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Logs_WithToken_NeverContainIt()
    {
        await using var monitor = await StartAsync(protectMetrics: true);
        await Send(monitor, "/status", "Bearer " + Token);
        await monitor.Http.PostAsync("/login", new FormUrlEncodedContent([new("token", Token)]));

        Assert.DoesNotContain(monitor.Logs.Lines, l => l.Contains(Token, StringComparison.Ordinal));
    }

    private static async Task<HttpResponseMessage> Send(TestMonitor monitor, string path, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await monitor.Http.SendAsync(request);
    }

    private static Task<TestMonitor> StartAsync(bool protectMetrics)
    {
        var config = TestMonitor.FastConfig(new Uri("http://127.0.0.1:1"));
        config["Synthetic:Targets:0:Health:Interval"] = "1m";
        config["Synthetic:Targets:0:Health:Timeout"] = "1s";
        config["Synthetic:Web:BearerToken"] = Token;
        config["Synthetic:Web:ProtectMetrics"] = protectMetrics ? "true" : "false";
        return TestMonitor.StartAsync(config);
    }
}
