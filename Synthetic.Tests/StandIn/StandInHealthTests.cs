using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Synthetic.StandIn;

namespace Synthetic.Tests.StandIn;

/// <summary>The stand-in's health shapes and its marker header.</summary>
public sealed class StandInHealthTests(StandInTestFixtures fixtures) : StandInTestBase(fixtures), IClassFixture<StandInTestFixtures>
{
    [Theory]
    [InlineData("/health", """{"status":"healthy"}""")]
    [InlineData("/health/asr", """{"status":"healthy"}""")]
    [InlineData("/health/license", """{"status":"healthy"}""")]
    [InlineData("/health/redis", """{"status":"healthy"}""")]
    [InlineData("/api/v1/health", """{"status":"ok"}""")]
    [InlineData("/healthz", "true")]
    [InlineData("/waves/v1/health", """{"status":"ok","mongo":{"status":"connected"}}""")]
    public async Task Health_Healthy_EachShapeAnswersDocumentedBody(string path, string expectedBody)
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expectedBody, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HealthDetailed_Healthy_ReportsComponentsUptimeAndVersion()
    {
        var time = new FakeTimeProvider();
        await using var server = await StartAsync(timeProvider: time);
        using var client = CreateClient(server);
        time.Advance(TimeSpan.FromSeconds(90.7));

        var body = await GetJsonAsync(client, "/health?detailed=true", HttpStatusCode.OK);

        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal(90, body.GetProperty("uptime_seconds").GetInt64());
        Assert.Equal("1.0.0-standin", body.GetProperty("version").GetString());
        var components = body.GetProperty("components").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(["api_server", "license_proxy", "lightning_asr", "redis"], components.Keys.Order(StringComparer.Ordinal));
        Assert.All(components.Values, v => Assert.Equal("healthy", v));
    }

    [Fact]
    public async Task Restart_AfterUptime_ResetsUptimeToZero()
    {
        var time = new FakeTimeProvider();
        await using var server = await StartAsync(timeProvider: time);
        using var client = CreateClient(server);
        time.Advance(TimeSpan.FromMinutes(5));

        server.Restart();
        var afterRestart = await GetJsonAsync(client, "/health?detailed=true", HttpStatusCode.OK);
        time.Advance(TimeSpan.FromSeconds(30));
        using var overHttp = await client.PostAsync(new Uri("/_standin/restart", UriKind.Relative), null);
        var afterHttpRestart = await GetJsonAsync(client, "/health?detailed=true", HttpStatusCode.OK);

        Assert.Equal(0, afterRestart.GetProperty("uptime_seconds").GetInt64());
        Assert.Equal(HttpStatusCode.OK, overHttp.StatusCode);
        Assert.Equal(0, afterHttpRestart.GetProperty("uptime_seconds").GetInt64());
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/no/such/path")]
    [InlineData("/_standin/mode")]
    [InlineData("/_standin/stats")]
    public async Task AnyEndpoint_Always_CarriesStandInMarkerHeader(string path)
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal("1", Assert.Single(response.Headers.GetValues(StandInServer.MarkerHeader)));
    }

    [Fact]
    public async Task Transcribe_ErrorAnswer_CarriesStandInMarkerHeader()
    {
        await using var server = await StartAsync(licenseKey: Key);
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(Listen, Fixtures.Hello, auth: "Token nope"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues(StandInServer.MarkerHeader)));
    }
}
