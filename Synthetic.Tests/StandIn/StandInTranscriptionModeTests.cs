using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Synthetic.StandIn;

namespace Synthetic.Tests.StandIn;

/// <summary>Transcription-side fault modes of the stand-in (health stays healthy).</summary>
public sealed class StandInTranscriptionModeTests(StandInTestFixtures fixtures) : StandInTestBase(fixtures), IClassFixture<StandInTestFixtures>
{
    [Theory]
    [InlineData(Listen, "")]
    [InlineData(GetText, "")]
    [InlineData(Pulse, """{"error":"Internal server error"}""")]
    [InlineData(OpenAi, """{"error":{"message":"Internal server error","type":"server_error","code":"internal_error"}}""")]
    public async Task Mode_FalsePositive_HealthStays200AndTranscriptionFails500(string dialect, string expectedBody)
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("false-positive"));

        var health = await GetJsonAsync(client, "/health?detailed=true", HttpStatusCode.OK);
        using var response = await client.SendAsync(Transcription(dialect, Fixtures.Hello));

        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(expectedBody, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Mode_WrongTranscript_ReplacesEveryThirdWord()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("wrong-transcript"));

        using var first = await client.SendAsync(Transcription(Listen, Fixtures.Hello));
        using var second = await client.SendAsync(Transcription(Pulse, Fixtures.Hello));

        Assert.Equal("Hello world, banana is a banana test.", (await JsonAsync(first)).GetProperty("text").GetString());
        Assert.Equal("Hello world, banana is a banana test.", (await JsonAsync(second)).GetProperty("transcription").GetString());
    }

    [Theory]
    [InlineData("Hi there", "Hi banana")]
    [InlineData("One", "banana")]
    [InlineData("", "")]
    [InlineData("a b c d e f g", "a b banana d e banana g")]
    public void Garble_AnyTranscript_ChangesAtLeastOneWordDeterministically(string transcript, string expected)
    {
        Assert.Equal(expected, TranscriptionEndpoints.Garble(transcript));
    }

    [Theory]
    [InlineData(Listen)]
    [InlineData(GetText)]
    [InlineData(Pulse)]
    [InlineData(OpenAi)]
    public async Task Mode_EmptyTranscript_ReturnsEmptyText(string dialect)
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("empty-transcript"));

        using var response = await client.SendAsync(Transcription(dialect, Fixtures.Hello));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, TranscriptOf(dialect, await JsonAsync(response)));
    }

    [Fact]
    public async Task Mode_SlowTranscription_DelaysTranscriptionOnly()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        using (await client.GetAsync(new Uri("/health", UriKind.Relative)))
        {
            // Warm-up, so the timing below measures the mode rather than the first request.
        }

        server.SetMode(new StandInMode("slow-transcription", DelayMs: 1000));

        var health = Stopwatch.StartNew();
        using var healthResponse = await client.GetAsync(new Uri("/health", UriKind.Relative));
        health.Stop();
        var transcription = Stopwatch.StartNew();
        using var response = await client.SendAsync(Transcription(Listen, Fixtures.Hello));
        transcription.Stop();

        Assert.Equal(HttpStatusCode.OK, healthResponse.StatusCode);
        Assert.True(health.ElapsedMilliseconds < 1000, $"health took {health.ElapsedMilliseconds} ms");
        Assert.Equal(StandInTestFixtures.HelloTranscript, (await JsonAsync(response)).GetProperty("text").GetString());
        Assert.True(transcription.ElapsedMilliseconds >= 980, $"transcription took {transcription.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Mode_Auth401_Returns401InEachDialectsShape()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("auth-401"));

        using var listen = await client.SendAsync(Transcription(Listen, Fixtures.Hello));
        using var pulse = await client.SendAsync(Transcription(Pulse, Fixtures.Hello));
        var listenBody = await JsonAsync(listen);

        Assert.Equal(HttpStatusCode.Unauthorized, listen.StatusCode);
        Assert.Equal("Invalid license key", listenBody.GetProperty("error").GetString());
        Assert.Equal("INVALID_LICENSE", listenBody.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, pulse.StatusCode);
        Assert.StartsWith("Unauthorized", (await JsonAsync(pulse)).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Stats.WrongKeyRequests);
    }

    [Fact]
    public async Task Mode_LicenseExpired_Returns403WithExpiresAtInThePast()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("license-expired"));

        using var response = await client.SendAsync(Transcription(GetText, Fixtures.Hello));
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("LICENSE_EXPIRED", body.GetProperty("code").GetString());
        Assert.True(body.GetProperty("expires_at").GetDateTimeOffset() < DateTimeOffset.UtcNow);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(17, 17)]
    public async Task Mode_RateLimited_Returns429WithRetryAfterInBody(int configured, int expected)
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("rate-limited", RetryAfterSeconds: configured));

        using var response = await client.SendAsync(Transcription(Listen, Fixtures.Hello));
        var body = await JsonAsync(response);
        var health = await GetJsonAsync(client, "/health", HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("RATE_LIMIT_EXCEEDED", body.GetProperty("code").GetString());
        Assert.Equal(expected, body.GetProperty("retry_after").GetInt32());
        Assert.Equal("healthy", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Mode_UnsupportedFormat_Returns415WithSupportedFormats()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("unsupported-format"));

        using var response = await client.SendAsync(Transcription(Listen, Fixtures.Hello));
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("UNSUPPORTED_FORMAT", body.GetProperty("code").GetString());
        Assert.Contains("wav", body.GetProperty("supported_formats").EnumerateArray().Select(f => f.GetString()));
    }

    [Theory]
    [InlineData(Listen)]
    [InlineData(Pulse)]
    public async Task Mode_WrongDuration_DoublesTheDuration(string dialect)
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("wrong-duration"));

        using var response = await client.SendAsync(Transcription(dialect, Fixtures.Counting));
        var body = await JsonAsync(response);

        Assert.Equal(StandInTestFixtures.CountingTranscript, TranscriptOf(dialect, body));
        Assert.Equal(2 * StandInTestFixtures.CountingDuration, DurationOf(dialect, body));
    }

    [Fact]
    public async Task Mode_Unavailable_Returns503WhileHealthStaysHealthy()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("unavailable", RetryAfterSeconds: 30));

        using var response = await client.SendAsync(Transcription(Listen, Fixtures.Hello));
        var body = await JsonAsync(response);
        var health = await GetJsonAsync(client, "/health?detailed=true", HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("SERVICE_UNAVAILABLE", body.GetProperty("code").GetString());
        Assert.Equal(30, body.GetProperty("retry_after").GetInt32());
        Assert.Equal("healthy", health.GetProperty("status").GetString());
    }
}
