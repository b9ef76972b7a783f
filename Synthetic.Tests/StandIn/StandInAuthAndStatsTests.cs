using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Synthetic.StandIn;

namespace Synthetic.Tests.StandIn;

/// <summary>The stand-in's license key checks and its request counters (which never hold the key).</summary>
public sealed class StandInAuthAndStatsTests(StandInTestFixtures fixtures) : StandInTestBase(fixtures), IClassFixture<StandInTestFixtures>
{
    [Theory]
    [InlineData(Listen, "Token", HttpStatusCode.OK)]
    [InlineData(Listen, "Bearer", HttpStatusCode.Unauthorized)]
    [InlineData(GetText, "Token", HttpStatusCode.OK)]
    [InlineData(GetText, "Bearer", HttpStatusCode.OK)]
    [InlineData(Pulse, "Bearer", HttpStatusCode.OK)]
    [InlineData(Pulse, "Token", HttpStatusCode.Unauthorized)]
    [InlineData(OpenAi, "Bearer", HttpStatusCode.OK)]
    [InlineData(OpenAi, "Token", HttpStatusCode.Unauthorized)]
    public async Task Transcribe_RightKey_AcceptedOnlyInTheDialectsScheme(string dialect, string scheme, HttpStatusCode expected)
    {
        await using var server = await StartAsync(licenseKey: Key);
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(dialect, Fixtures.Hello, auth: $"{scheme} {Key}"));

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData(Listen)]
    [InlineData(GetText)]
    [InlineData(Pulse)]
    [InlineData(OpenAi)]
    public async Task Transcribe_WrongKey_Returns401AndCountsIt(string dialect)
    {
        await using var server = await StartAsync(licenseKey: Key);
        using var client = CreateClient(server);
        var scheme = dialect == Listen ? "Token" : "Bearer";

        using var response = await client.SendAsync(Transcription(dialect, Fixtures.Hello, auth: $"{scheme} sk_wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, server.Stats.WrongKeyRequests);
        var body = await JsonAsync(response);
        switch (dialect)
        {
            case Pulse:
                Assert.Equal("Unauthorized: Invalid token", body.GetProperty("message").GetString());
                break;
            case OpenAi:
                Assert.Equal("Invalid license key", body.GetProperty("error").GetProperty("message").GetString());
                break;
            default:
                Assert.Equal("INVALID_LICENSE", body.GetProperty("code").GetString());
                Assert.Equal("Invalid license key", body.GetProperty("error").GetString());
                break;
        }
    }

    [Fact]
    public async Task Pulse_MissingKey_Returns401NoTokensProvided()
    {
        await using var server = await StartAsync(licenseKey: Key);
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(Pulse, Fixtures.Hello));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"message":"Unauthorized: No tokens provided"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("none", server.Stats.LastAuthorizationScheme);
    }

    [Fact]
    public async Task Transcribe_NoKeyConfigured_AcceptsAnyOrNoAuthorization()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var none = await client.SendAsync(Transcription(Listen, Fixtures.Hello));
        using var any = await client.SendAsync(Transcription(Pulse, Fixtures.Hello, auth: "Bearer whatever"));

        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        Assert.Equal(HttpStatusCode.OK, any.StatusCode);
    }

    [Fact]
    public async Task Stats_AfterTraffic_CountsPathsSchemesAndRequestIdsButNeverTheKey()
    {
        await using var server = await StartAsync(licenseKey: Key);
        using var client = CreateClient(server);
        using (await client.GetAsync(new Uri("/health", UriKind.Relative)))
        using (await client.GetAsync(new Uri("/health?detailed=true", UriKind.Relative)))
        using (await client.SendAsync(Transcription(Listen, Fixtures.Hello, auth: "Token sk_wrong_guess_999")))
        using (var request = Transcription(Pulse, Fixtures.Hello, auth: $"Bearer {Key}"))
        {
            request.Headers.Add("X-Request-ID", "canary-7");
            using var ok = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var statsResponse = await client.GetAsync(new Uri("/_standin/stats", UriKind.Relative));
        var json = await statsResponse.Content.ReadAsStringAsync();
        var overHttp = JsonSerializer.Deserialize<StandInStats>(json, JsonSerializerOptions.Web)!;
        var inProcess = server.Stats;

        foreach (var stats in new[] { overHttp, inProcess })
        {
            Assert.Equal(2, stats.RequestsByPath["/health"]);
            Assert.Equal(1, stats.RequestsByPath["/v1/listen"]);
            Assert.Equal(1, stats.RequestsByPath["/waves/v1/pulse/get_text"]);
            Assert.DoesNotContain(stats.RequestsByPath.Keys, k => k.StartsWith("/_standin", StringComparison.Ordinal));
            Assert.Equal(4, stats.TotalRequests);
            Assert.Equal(2, stats.TranscriptionRequests);
            Assert.Equal("canary-7", stats.LastRequestId);
            Assert.Equal("Bearer", stats.LastAuthorizationScheme);
            Assert.Equal(1, stats.WrongKeyRequests);
        }

        Assert.DoesNotContain(Key, json, StringComparison.Ordinal);
        Assert.DoesNotContain("sk_wrong_guess_999", json, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, JsonSerializer.Serialize(inProcess), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_KeyWithoutScheme_RecordsOtherNeverTheKey()
    {
        await using var server = await StartAsync(licenseKey: Key);
        using var client = CreateClient(server);
        using var request = Transcription(Listen, Fixtures.Hello);
        request.Headers.TryAddWithoutValidation("Authorization", Key);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("other", server.Stats.LastAuthorizationScheme);
        Assert.DoesNotContain(Key, JsonSerializer.Serialize(server.Stats), StringComparison.Ordinal);
    }
}
