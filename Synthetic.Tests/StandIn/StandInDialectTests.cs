using System.Net;
using System.Text;
using System.Text.Json;
using Synthetic.StandIn;

namespace Synthetic.Tests.StandIn;

/// <summary>The stand-in's transcription dialects: each answers the manifest transcript in its own shape and errors.</summary>
public sealed class StandInDialectTests(StandInTestFixtures fixtures) : StandInTestBase(fixtures), IClassFixture<StandInTestFixtures>
{
    [Theory]
    [InlineData(Listen)]
    [InlineData(GetText)]
    [InlineData(Pulse)]
    [InlineData(OpenAi)]
    public async Task Transcribe_FixtureClip_EachDialectReturnsManifestTranscript(string dialect)
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(dialect, Fixtures.Hello));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues(StandInServer.MarkerHeader)));
        Assert.Equal(StandInTestFixtures.HelloTranscript, TranscriptOf(dialect, await JsonAsync(response)));
    }

    [Fact]
    public async Task Listen_FixtureClip_ReturnsDocumentedShapeWithEvenWordTimings()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(Listen, Fixtures.Hello, fields: [("language", "en"), ("punctuate", "true")]));
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

        using var response = await client.SendAsync(Transcription(Listen, Fixtures.Hello, fields: [("punctuate", "false")]));

        Assert.Equal("Hello world this is a standin test", (await JsonAsync(response)).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Pulse_FixtureClip_ReturnsMetadataAndEchoesRequestIdHeader()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        using var request = Transcription(Pulse, Fixtures.Counting);
        request.Headers.Add("X-Request-ID", "trace-42");

        using var response = await client.SendAsync(request);
        var body = await JsonAsync(response);

        Assert.Equal("success", body.GetProperty("status").GetString());
        Assert.Equal(StandInTestFixtures.CountingTranscript, body.GetProperty("transcription").GetString());
        Assert.Equal(0, body.GetProperty("words").GetArrayLength());
        Assert.Equal(0, body.GetProperty("utterances").GetArrayLength());
        Assert.Equal(StandInTestFixtures.CountingDuration, body.GetProperty("metadata").GetProperty("duration").GetDouble());
        Assert.Equal(Fixtures.Counting.Length, body.GetProperty("metadata").GetProperty("fileSize").GetInt64());
        Assert.Equal("trace-42", Assert.Single(response.Headers.GetValues("x-request-id")));
    }

    [Fact]
    public async Task GetText_WordTimestampsTrue_ReturnsTimedWords()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(GetText, Fixtures.Counting, query: "?model=lightning&language=en&word_timestamps=true"));
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
        using var content = new MultipartFormDataContent { { new ByteArrayContent(Fixtures.Hello), "file", "clip.wav" } };

        using var response = await client.PostAsync(new Uri("/v1/audio/transcriptions", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("model", (await JsonAsync(response)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAi_ResponseFormatText_ReturnsPlainText()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.SendAsync(Transcription(OpenAi, Fixtures.Hello, fields: [("response_format", "text")]));

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

        using var response = await client.SendAsync(Transcription(dialect, Fixtures.Hello));

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
}
