using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.StandIn;

/// <summary>The stand-in over real loopback HTTP, as the monitor and the demo use it.</summary>
public sealed class StandInServerTests(StandInTestFixtures fixtures) : IClassFixture<StandInTestFixtures>
{
    private const string Listen = "smallest-listen";
    private const string GetText = "smallest-get-text";
    private const string Pulse = "pulse";
    private const string OpenAi = "openai";
    private const string Key = "sk_super_secret_key_123";

    private static readonly string[] HealthPaths =
        ["/health", "/health?detailed=true", "/health/asr", "/health/license", "/health/redis", "/api/v1/health", "/healthz", "/waves/v1/health"];

    // ---- transcription dialects -------------------------------------------------------------------------

    [Theory]
    [InlineData(Listen)]
    [InlineData(GetText)]
    [InlineData(Pulse)]
    [InlineData(OpenAi)]
    public async Task Transcribe_FixtureClip_EachDialectReturnsManifestTranscript(string dialect)
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(dialect, fixtures.Hello));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues(StandInServer.MarkerHeader)));
        Assert.Equal(StandInTestFixtures.HelloTranscript, TranscriptOf(dialect, await JsonAsync(response)));
    }

    [Fact]
    public async Task Listen_FixtureClip_ReturnsDocumentedShapeWithEvenWordTimings()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(Listen, fixtures.Hello, fields: [("language", "en"), ("punctuate", "true")]));
        var body = await JsonAsync(response);

        Assert.StartsWith("req_", body.GetProperty("request_id").GetString(), StringComparison.Ordinal);
        Assert.Equal(0.95, body.GetProperty("confidence").GetDouble());
        Assert.Equal(StandInTestFixtures.HelloDuration, body.GetProperty("duration").GetDouble());
        Assert.Equal("en", body.GetProperty("language").GetString());
        var words = body.GetProperty("words").EnumerateArray().ToList();
        Assert.Equal(StandInTestFixtures.HelloTranscript.Split(' '), words.Select(w => w.GetProperty("word").GetString()));
        Assert.Equal(0.0, words[0].GetProperty("start").GetDouble());
        Assert.Equal(StandInTestFixtures.HelloDuration, words[^1].GetProperty("end").GetDouble());
        Assert.All(words, w => Assert.Equal(0.98, w.GetProperty("confidence").GetDouble()));
    }

    [Fact]
    public async Task Listen_PunctuateFalse_StripsPunctuation()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(Listen, fixtures.Hello, fields: [("punctuate", "false")]));

        Assert.Equal("Hello world this is a standin test", (await JsonAsync(response)).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Pulse_FixtureClip_ReturnsMetadataAndEchoesRequestIdHeader()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        using var request = Transcription(Pulse, fixtures.Counting);
        request.Headers.Add("X-Request-ID", "trace-42");

        using var response = await client.SendAsync(request);
        var body = await JsonAsync(response);

        Assert.Equal("success", body.GetProperty("status").GetString());
        Assert.Equal(StandInTestFixtures.CountingTranscript, body.GetProperty("transcription").GetString());
        Assert.Equal(0, body.GetProperty("words").GetArrayLength());
        Assert.Equal(0, body.GetProperty("utterances").GetArrayLength());
        Assert.Equal(StandInTestFixtures.CountingDuration, body.GetProperty("metadata").GetProperty("duration").GetDouble());
        Assert.Equal(fixtures.Counting.Length, body.GetProperty("metadata").GetProperty("fileSize").GetInt64());
        Assert.Equal("trace-42", Assert.Single(response.Headers.GetValues("x-request-id")));
    }

    [Fact]
    public async Task GetText_WordTimestampsTrue_ReturnsTimedWords()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(GetText, fixtures.Counting, query: "?model=lightning&language=en&word_timestamps=true"));
        var body = await JsonAsync(response);

        Assert.Equal(5, body.GetProperty("words").GetArrayLength());
        Assert.Equal(StandInTestFixtures.CountingDuration, body.GetProperty("words")[4].GetProperty("end").GetDouble());
    }

    [Theory]
    [InlineData(Listen)]
    [InlineData(Pulse)]
    public async Task Transcribe_UnknownWav_ReturnsEmptyTranscriptAndHeaderDuration(string dialect)
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(dialect, StandInTestFixtures.UnknownWav(0.5)));
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, TranscriptOf(dialect, body));
        Assert.Equal(0.5, DurationOf(dialect, body));
    }

    [Fact]
    public async Task Listen_UnknownWav_ReturnsNoWordsAndZeroConfidence()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(Listen, StandInTestFixtures.UnknownWav()));
        var body = await JsonAsync(response);

        Assert.Equal(0, body.GetProperty("words").GetArrayLength());
        Assert.Equal(0.0, body.GetProperty("confidence").GetDouble());
    }

    [Fact]
    public async Task Pulse_NonWavBytes_ReturnsZeroDuration()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(Pulse, Encoding.UTF8.GetBytes("definitely not audio")));
        var body = await JsonAsync(response);

        Assert.Equal(string.Empty, body.GetProperty("transcription").GetString());
        Assert.Equal(0.0, body.GetProperty("metadata").GetProperty("duration").GetDouble());
    }

    [Fact]
    public async Task Listen_JsonUrl_Returns400UrlNotSupported()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.PostAsync(new Uri("/v1/listen", UriKind.Relative),
            new StringContent("""{"url":"https://example.com/audio.wav"}""", Encoding.UTF8, "application/json"));
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("url input not supported by stand-in", body.GetProperty("error").GetString());
        Assert.Equal("MISSING_PARAMETER", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Listen_MultipartWithoutAudio_Returns400MissingParameter()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        using var content = new MultipartFormDataContent { { new StringContent("en"), "language" } };

        using var response = await client.PostAsync(new Uri("/v1/listen", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MISSING_PARAMETER", (await JsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Pulse_EmptyBody_Returns400InPulseErrorShape()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(Pulse, []));
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("error", body.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task OpenAi_MissingModel_Returns400InOpenAiErrorShape()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        using var content = new MultipartFormDataContent { { new ByteArrayContent(fixtures.Hello), "file", "clip.wav" } };

        using var response = await client.PostAsync(new Uri("/v1/audio/transcriptions", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("model", (await JsonAsync(response)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAi_ResponseFormatText_ReturnsPlainText()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(OpenAi, fixtures.Hello, fields: [("response_format", "text")]));

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(StandInTestFixtures.HelloTranscript, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(Listen, HttpStatusCode.UnprocessableEntity)]
    [InlineData(GetText, HttpStatusCode.UnprocessableEntity)]
    [InlineData(Pulse, HttpStatusCode.RequestEntityTooLarge)]
    [InlineData(OpenAi, HttpStatusCode.RequestEntityTooLarge)]
    public async Task Transcribe_BodyOverCap_ReturnsTooLarge(string dialect, HttpStatusCode expected)
    {
        await using var server = await StartAsync(maxBodyBytes: 4096);
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(dialect, fixtures.Hello));

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.UnprocessableEntity)
        {
            var body = await JsonAsync(response);
            Assert.Equal("FILE_TOO_LARGE", body.GetProperty("code").GetString());
            Assert.True(body.GetProperty("max_size_mb").GetDouble() > 0);
        }
    }

    [Fact]
    public async Task Listen_DefaultCap_Reports100MbLimitOnlyAboveIt()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        var justUnder = new byte[5 * 1024 * 1024];

        using var response = await client.SendAsync(Transcription(Listen, justUnder));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // ---- health -----------------------------------------------------------------------------------------

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

        using var response = await client.SendAsync(Transcription(Listen, fixtures.Hello, auth: "Token nope"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues(StandInServer.MarkerHeader)));
    }

    // ---- health modes -----------------------------------------------------------------------------------

    [Fact]
    public async Task Mode_Unhealthy_EveryHealthShape503AndTranscription503()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("unhealthy"));

        foreach (var path in HealthPaths)
        {
            var body = await GetJsonAsync(client, path, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("unhealthy", body.GetProperty("status").GetString());
            Assert.Equal("No ASR workers available", body.GetProperty("reason").GetString());
        }

        var detailed = await GetJsonAsync(client, "/health?detailed=true", HttpStatusCode.ServiceUnavailable);
        Assert.Equal("unhealthy", detailed.GetProperty("components").GetProperty("lightning_asr").GetString());
        using var transcription = await client.SendAsync(Transcription(Listen, fixtures.Hello));
        var error = await JsonAsync(transcription);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, transcription.StatusCode);
        Assert.Equal("SERVICE_UNAVAILABLE", error.GetProperty("code").GetString());
        Assert.Equal(5, error.GetProperty("retry_after").GetInt32());
    }

    [Fact]
    public async Task Mode_UnhealthyBody_EveryHealthShapeAnswers200WithUnhealthyStatus()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("unhealthy-body"));

        foreach (var path in HealthPaths)
        {
            var body = await GetJsonAsync(client, path, HttpStatusCode.OK);
            Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Mode_ComponentDown_DetailedDegradedPlainHealthyTranscription403()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("component-down"));

        var detailed = await GetJsonAsync(client, "/health?detailed=true", HttpStatusCode.ServiceUnavailable);
        var license = await GetJsonAsync(client, "/health/license", HttpStatusCode.ServiceUnavailable);
        var plain = await GetJsonAsync(client, "/health", HttpStatusCode.OK);
        var asr = await GetJsonAsync(client, "/health/asr", HttpStatusCode.OK);
        using var transcription = await client.SendAsync(Transcription(Listen, fixtures.Hello));
        var error = await JsonAsync(transcription);

        Assert.Equal("degraded", detailed.GetProperty("status").GetString());
        Assert.Equal("unhealthy", detailed.GetProperty("components").GetProperty("license_proxy").GetString());
        Assert.Equal("healthy", detailed.GetProperty("components").GetProperty("lightning_asr").GetString());
        Assert.Equal("unhealthy", license.GetProperty("status").GetString());
        Assert.Equal("healthy", plain.GetProperty("status").GetString());
        Assert.Equal("healthy", asr.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, transcription.StatusCode);
        Assert.Equal("LICENSE_EXPIRED", error.GetProperty("code").GetString());
        Assert.True(error.TryGetProperty("expires_at", out _));
    }

    [Fact]
    public async Task Mode_Slow_EveryEndpointWaitsTheDelay()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("slow", DelayMs: 300));

        var health = Stopwatch.StartNew();
        using var healthResponse = await client.GetAsync(new Uri("/health", UriKind.Relative));
        health.Stop();
        var transcription = Stopwatch.StartNew();
        using var transcriptionResponse = await client.SendAsync(Transcription(Pulse, fixtures.Hello));
        transcription.Stop();

        Assert.Equal(HttpStatusCode.OK, healthResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, transcriptionResponse.StatusCode);
        Assert.True(health.ElapsedMilliseconds >= 280, $"health took {health.ElapsedMilliseconds} ms");
        Assert.True(transcription.ElapsedMilliseconds >= 280, $"transcription took {transcription.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Mode_Hang_NeverAnswersUntilTheClientGivesUp()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("hang"));
        using var impatient = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromMilliseconds(500) };

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => impatient.GetAsync(new Uri("/health", UriKind.Relative)));
        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => impatient.SendAsync(Transcription(Listen, fixtures.Hello)));
        using var modeStillAnswers = await client.GetAsync(new Uri("/_standin/mode", UriKind.Relative));
        server.SetMode(StandInMode.Healthy);
        using var recovered = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, modeStillAnswers.StatusCode);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task DisposeAsync_WhileRequestsHang_StopsPromptly()
    {
        var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("hang"));
        var hanging = client.GetAsync(new Uri("/health", UriKind.Relative));
        await WaitUntilAsync(() => server.Stats.TotalRequests >= 1);

        var stopwatch = Stopwatch.StartNew();
        await server.DisposeAsync();
        stopwatch.Stop();

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => hanging);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"dispose took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Mode_Garbage_HealthAnswers200WithNonJsonBody()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("garbage"));

        foreach (var path in HealthPaths)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("<html>", text, StringComparison.Ordinal);
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
        }
    }

    [Fact]
    public async Task Mode_Oversized_StreamsEndlessBodyUntilTheClientDisconnects()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("oversized"));
        const int wanted = 4 * 1024 * 1024;

        using (var response = await client.GetAsync(new Uri("/health", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(response.Content.Headers.ContentLength);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            var prefix = new MemoryStream();
            long total = 0;
            while (total < wanted)
            {
                var read = await stream.ReadAsync(buffer);
                Assert.True(read > 0, $"the body ended after {total} bytes");
                if (prefix.Length < 64)
                {
                    prefix.Write(buffer, 0, read);
                }

                total += read;
            }

            Assert.StartsWith("{\"status\":\"healthy\"", Encoding.UTF8.GetString(prefix.ToArray()), StringComparison.Ordinal);
        }

        server.SetMode(StandInMode.Healthy);
        using var fresh = new HttpClient { BaseAddress = server.BaseUrl };
        using var after = await fresh.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Mode_Reset_AbortsTheConnectionWithoutAnswer()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("reset"));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("/health", UriKind.Relative)));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(Transcription(Pulse, fixtures.Hello)));
    }

    // ---- transcription modes ----------------------------------------------------------------------------

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
        using var response = await client.SendAsync(Transcription(dialect, fixtures.Hello));

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

        using var first = await client.SendAsync(Transcription(Listen, fixtures.Hello));
        using var second = await client.SendAsync(Transcription(Pulse, fixtures.Hello));

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

        using var response = await client.SendAsync(Transcription(dialect, fixtures.Hello));

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
        using var response = await client.SendAsync(Transcription(Listen, fixtures.Hello));
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

        using var listen = await client.SendAsync(Transcription(Listen, fixtures.Hello));
        using var pulse = await client.SendAsync(Transcription(Pulse, fixtures.Hello));
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

        using var response = await client.SendAsync(Transcription(GetText, fixtures.Hello));
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

        using var response = await client.SendAsync(Transcription(Listen, fixtures.Hello));
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

        using var response = await client.SendAsync(Transcription(Listen, fixtures.Hello));
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

        using var response = await client.SendAsync(Transcription(dialect, fixtures.Counting));
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

        using var response = await client.SendAsync(Transcription(Listen, fixtures.Hello));
        var body = await JsonAsync(response);
        var health = await GetJsonAsync(client, "/health?detailed=true", HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("SERVICE_UNAVAILABLE", body.GetProperty("code").GetString());
        Assert.Equal(30, body.GetProperty("retry_after").GetInt32());
        Assert.Equal("healthy", health.GetProperty("status").GetString());
    }

    // ---- mode control -----------------------------------------------------------------------------------

    [Fact]
    public async Task ModeEndpoint_Post_SwitchesModeAndEchoesIt()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var post = await client.PostAsync(new Uri("/_standin/mode", UriKind.Relative),
            new StringContent("""{"mode":"false-positive","delayMs":0,"retryAfterSeconds":0}""", Encoding.UTF8, "application/json"));
        var echoed = await JsonAsync(post);
        var read = await GetJsonAsync(client, "/_standin/mode", HttpStatusCode.OK);
        using var transcription = await client.SendAsync(Transcription(Listen, fixtures.Hello));

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal("false-positive", echoed.GetProperty("mode").GetString());
        Assert.Equal(0, echoed.GetProperty("delayMs").GetInt32());
        Assert.Equal(0, echoed.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal("false-positive", read.GetProperty("mode").GetString());
        Assert.Equal("false-positive", server.Mode.Name);
        Assert.Equal(HttpStatusCode.InternalServerError, transcription.StatusCode);
    }

    [Fact]
    public async Task ModeEndpoint_SlowWithoutDelay_EchoesTheDefaultDelay()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var post = await client.PostAsync(new Uri("/_standin/mode", UriKind.Relative),
            new StringContent("""{"mode":"slow"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(2000, (await JsonAsync(post)).GetProperty("delayMs").GetInt32());
        Assert.Equal(new StandInMode("slow", 2000, 0), server.Mode);
    }

    [Theory]
    [InlineData("""{"mode":"no-such-mode"}""", "mode")]
    [InlineData("""{}""", "mode")]
    [InlineData("""{"mode":42}""", "mode")]
    [InlineData("""{"mode":"slow","delayMs":-1}""", "delayMs")]
    [InlineData("""{"mode":"slow","delayMs":"soon"}""", "delayMs")]
    [InlineData("""{"mode":"rate-limited","retryAfterSeconds":-5}""", "retryAfterSeconds")]
    [InlineData("""{"mode":"healthy","delay_ms":10}""", "delay_ms")]
    [InlineData("""not json""", "body")]
    public async Task ModeEndpoint_BadRequest_Returns400NamingTheFieldAndKeepsTheMode(string json, string field)
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("empty-transcript"));

        using var response = await client.PostAsync(new Uri("/_standin/mode", UriKind.Relative),
            new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.StartsWith(field + ":", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("empty-transcript", server.Mode.Name);
    }

    [Fact]
    public async Task SetMode_UnknownName_ThrowsArgumentException()
    {
        await using var server = await StartAsync();

        var ex = Assert.Throws<ArgumentException>(() => server.SetMode(new StandInMode("sideways")));

        Assert.Contains("sideways", ex.Message, StringComparison.Ordinal);
        Assert.Equal("healthy", server.Mode.Name);
    }

    [Fact]
    public async Task SetMode_MixedCaseName_StoresCanonicalName()
    {
        await using var server = await StartAsync();

        server.SetMode(new StandInMode("Rate-Limited"));

        Assert.Equal(new StandInMode("rate-limited", 0, 5), server.Mode);
    }

    // ---- license key and stats --------------------------------------------------------------------------

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

        using var response = await client.SendAsync(Transcription(dialect, fixtures.Hello, auth: $"{scheme} {Key}"));

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

        using var response = await client.SendAsync(Transcription(dialect, fixtures.Hello, auth: $"{scheme} sk_wrong"));

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

        using var response = await client.SendAsync(Transcription(Pulse, fixtures.Hello));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"message":"Unauthorized: No tokens provided"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("none", server.Stats.LastAuthorizationScheme);
    }

    [Fact]
    public async Task Transcribe_NoKeyConfigured_AcceptsAnyOrNoAuthorization()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var none = await client.SendAsync(Transcription(Listen, fixtures.Hello));
        using var any = await client.SendAsync(Transcription(Pulse, fixtures.Hello, auth: "Bearer whatever"));

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
        using (await client.SendAsync(Transcription(Listen, fixtures.Hello, auth: "Token sk_wrong_guess_999")))
        using (var request = Transcription(Pulse, fixtures.Hello, auth: $"Bearer {Key}"))
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
        using var request = Transcription(Listen, fixtures.Hello);
        request.Headers.TryAddWithoutValidation("Authorization", Key);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("other", server.Stats.LastAuthorizationScheme);
        Assert.DoesNotContain(Key, JsonSerializer.Serialize(server.Stats), StringComparison.Ordinal);
    }

    // ---- start-up ---------------------------------------------------------------------------------------

    [Fact]
    public async Task StartAsync_PortZero_ReportsTheRealLoopbackPort()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal("127.0.0.1", server.BaseUrl.Host);
        Assert.NotEqual(0, server.BaseUrl.Port);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StartAsync_TwoServers_GetDifferentPorts()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();

        Assert.NotEqual(first.BaseUrl.Port, second.BaseUrl.Port);
    }

    [Fact]
    public async Task StartAsync_MissingManifest_ThrowsNamingThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-fixtures-" + Guid.NewGuid().ToString("N"));

        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => StandInServer.StartAsync(new StandInOptions { FixturesPath = missing }));

        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://127.0.0.1:0")]
    [InlineData("http://example.com:7100")]
    [InlineData("not a url")]
    public async Task StartAsync_UnsupportedUrl_ThrowsArgumentException(string url)
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            StandInServer.StartAsync(new StandInOptions { Url = url, FixturesPath = fixtures.DirectoryPath }));
    }

    [Fact]
    public async Task StartAsync_RepositoryFixtures_RecognizesEveryManifestClip()
    {
        var directory = RepoPaths.Combine("fixtures", "audio");
        await using var server = await StandInServer.StartAsync(new StandInOptions { FixturesPath = directory });
        using var client = CreateClient(server);
        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(directory, "manifest.json")));
        var clips = manifest.RootElement.GetProperty("clips").EnumerateArray().ToList();

        Assert.NotEmpty(clips);
        foreach (var clip in clips)
        {
            var audio = await File.ReadAllBytesAsync(Path.Combine(directory, clip.GetProperty("file").GetString()!));
            using var response = await client.SendAsync(Transcription(Listen, audio));
            var body = await JsonAsync(response);
            Assert.Equal(clip.GetProperty("transcript").GetString(), body.GetProperty("text").GetString());
            Assert.Equal(Math.Round(clip.GetProperty("duration").GetDouble(), 3), body.GetProperty("duration").GetDouble());
        }
    }

    [Fact]
    public async Task StartAsync_DefaultFixturesPath_UsesTheClipsCopiedToTheOutputFolder()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "fixtures", "audio");
        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(copied, "manifest.json")));
        var clip = manifest.RootElement.GetProperty("clips").EnumerateArray()
            .First(c => c.GetProperty("transcript").GetString()!.Length > 0);
        await using var server = await StandInServer.StartAsync(new StandInOptions());
        using var client = CreateClient(server);

        var audio = await File.ReadAllBytesAsync(Path.Combine(copied, clip.GetProperty("file").GetString()!));
        using var response = await client.SendAsync(Transcription(Pulse, audio));

        Assert.Equal(clip.GetProperty("transcript").GetString(), (await JsonAsync(response)).GetProperty("transcription").GetString());
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private Task<StandInServer> StartAsync(string? licenseKey = null, TimeProvider? timeProvider = null, long? maxBodyBytes = null)
    {
        var options = new StandInOptions { FixturesPath = fixtures.DirectoryPath, LicenseKey = licenseKey };
        if (timeProvider is not null)
        {
            options.TimeProvider = timeProvider;
        }

        if (maxBodyBytes is { } cap)
        {
            options.MaxBodyBytes = cap;
        }

        return StandInServer.StartAsync(options);
    }

    private static HttpClient CreateClient(StandInServer server) =>
        new() { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A transcription request in the given dialect, shaped as that dialect's clients send it.</summary>
    private static HttpRequestMessage Transcription(string dialect, byte[] audio, string? auth = null, string? query = null,
        (string Name, string Value)[]? fields = null)
    {
        HttpRequestMessage request;
        switch (dialect)
        {
            case Listen or OpenAi:
                var form = new MultipartFormDataContent();
                var file = new ByteArrayContent(audio);
                file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
                form.Add(file, dialect == Listen ? "audio" : "file", "clip.wav");
                if (dialect == OpenAi)
                {
                    form.Add(new StringContent("whisper-1"), "model");
                }

                foreach (var (name, value) in fields ?? [])
                {
                    form.Add(new StringContent(value), name);
                }

                request = new HttpRequestMessage(HttpMethod.Post, dialect == Listen ? "/v1/listen" : "/v1/audio/transcriptions") { Content = form };
                break;

            default:
                var path = dialect == GetText ? "/api/v1/lightning/get_text" : "/waves/v1/pulse/get_text";
                var raw = new ByteArrayContent(audio);
                raw.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                request = new HttpRequestMessage(HttpMethod.Post, path + (query ?? "?language=en")) { Content = raw };
                break;
        }

        if (auth is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", auth);
        }

        return request;
    }

    private static string? TranscriptOf(string dialect, JsonElement body) =>
        dialect is GetText or Pulse ? body.GetProperty("transcription").GetString() : body.GetProperty("text").GetString();

    private static double DurationOf(string dialect, JsonElement body) =>
        dialect is GetText or Pulse ? body.GetProperty("metadata").GetProperty("duration").GetDouble() : body.GetProperty("duration").GetDouble();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(expected == response.StatusCode, $"GET {path}: expected {(int)expected}, got {(int)response.StatusCode}");
        return await JsonAsync(response);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "condition not met within 10 s");
            await Task.Delay(10);
        }
    }
}
