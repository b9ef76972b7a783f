using System.Text;
using System.Text.Json;
using Synthetic.Audio;
using Synthetic.Checks.Transcription;
using Synthetic.Configuration;
using Synthetic.Probing;

namespace Synthetic.Tests.Checks.Transcription;

/// <summary>Each batch dialect's request (URL, body, content type, auth) and answer parsing.</summary>
public sealed class DialectTests
{
    private static readonly Uri BaseUrl = new("http://asr.example:7100/");
    private static readonly Clip Clip = new("clip", "clip.wav", "en", "hello world", TimeSpan.FromSeconds(1), -20, 16000, 1, 16,
        Encoding.ASCII.GetBytes("RIFF-fake-wav-bytes"), "sha");

    public static TheoryData<string, string, string, string> Requests => new()
    {
        { "smallest-listen", "http://asr.example:7100/v1/listen", "multipart/form-data", "Token" },
        { "smallest-get-text", "http://asr.example:7100/api/v1/lightning/get_text?model=lightning&language=fr&word_timestamps=false", "application/octet-stream", "Token" },
        { "pulse", "http://asr.example:7100/waves/v1/pulse/get_text?language=fr&word_timestamps=false", "audio/wav", "Bearer" },
        { "openai", "http://asr.example:7100/v1/audio/transcriptions", "multipart/form-data", "Bearer" },
    };

    private static DialectClient Client(string dialect, string? key = "k-123")
    {
        var plan = CanaryPlan.Default with { Dialect = dialect, Path = TranscriptionDialects.Catalog.DefaultPaths[dialect], Language = "fr" };
        return new DialectClient(TranscriptionDialects.Get(dialect), BaseUrl, plan, key, [Clip]);
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task CreateRequest_Dialect_UrlBodyAndAuth(string dialect, string url, string mediaType, string scheme)
    {
        using var request = Client(dialect).CreateRequest(Clip, "rid-1");

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(url, request.RequestUri!.ToString());
        Assert.Equal(mediaType, request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal(scheme, request.Headers.Authorization!.Scheme);
        Assert.Equal("k-123", request.Headers.Authorization.Parameter);
        Assert.Equal("rid-1", Assert.Single(request.Headers.GetValues("X-Request-ID")));
        var body = Encoding.ASCII.GetString(await request.Content.ReadAsByteArrayAsync());
        Assert.Contains("RIFF-fake-wav-bytes", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRequest_SmallestListen_MultipartFieldsAudioAndLanguage()
    {
        using var request = Client("smallest-listen").CreateRequest(Clip, "rid");
        var body = Encoding.ASCII.GetString(await request.Content!.ReadAsByteArrayAsync());

        Assert.Contains("name=\"audio\"; filename=\"clip.wav\"", body, StringComparison.Ordinal);
        Assert.Contains("name=\"language\"\r\n\r\nfr\r\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRequest_OpenAi_MultipartFileModelAndFormat()
    {
        using var request = Client("openai").CreateRequest(Clip, "rid");
        var body = Encoding.ASCII.GetString(await request.Content!.ReadAsByteArrayAsync());

        Assert.Contains("name=\"file\"; filename=\"clip.wav\"", body, StringComparison.Ordinal);
        Assert.Contains("name=\"model\"\r\n\r\nwhisper-1\r\n", body, StringComparison.Ordinal);
        Assert.Contains("name=\"response_format\"\r\n\r\njson\r\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateRequest_NoKey_NoAuthorizationHeader()
    {
        using var request = Client("pulse", key: null).CreateRequest(Clip, "rid");

        Assert.Null(request.Headers.Authorization);
    }

    public static TheoryData<string, string, string?, double?, double?> Answers => new()
    {
        { "smallest-listen", """{"request_id":"req_1","text":"Hello there","confidence":0.9,"duration":3.2}""", "Hello there", 0.9, 3.2 },
        { "smallest-listen", """{"text":null}""", "", null, null },
        { "smallest-listen", """{"transcription":"wrong shape"}""", null, null, null },
        { "pulse", """{"status":"success","transcription":"Hi","metadata":{"duration":5.28}}""", "Hi", null, 5.28 },
        { "smallest-get-text", """{"transcription":"Hi","confidence":"0.5"}""", "Hi", 0.5, null },
        { "pulse", """{"text":"not pulse"}""", null, null, null },
        { "openai", """{"text":"Hi all","duration":1.5}""", "Hi all", null, 1.5 },
        { "openai", """{"text":42}""", null, null, null },
        { "openai", """["not","an","object"]""", null, null, null },
        { "pulse", "not json", null, null, null },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void ReadAnswer_Dialect_ParsesOrRejectsShape(string dialect, string body, string? text, double? confidence, double? duration)
    {
        var answer = Client(dialect).ReadAnswer(Exchange(200, body));

        Assert.Equal(text, answer?.Text);
        if (answer is not null)
        {
            Assert.Equal(confidence, answer.Confidence);
            Assert.Equal(duration, answer.Duration);
        }
    }

    [Fact]
    public void ReadAnswer_SmallestListenWithoutRequestId_TakesHeader()
    {
        var exchange = Exchange(200, """{"text":"x"}""", ("x-request-id", "hdr-7"));

        Assert.Equal("hdr-7", Client("smallest-listen").ReadAnswer(exchange)!.RequestId);
    }

    [Theory]
    [InlineData("""{"error":"Rate limit exceeded","code":"RATE_LIMIT_EXCEEDED","retry_after":30}""", 30.0)]
    [InlineData("""{"retry_after":"7"}""", 7.0)]
    [InlineData("""{"retry_after":99999}""", 3600.0)]
    [InlineData("""{"error":"x"}""", null)]
    [InlineData("garbage", null)]
    public void RetryAfter_Body_ReadsSecondsCapped(string body, double? seconds)
    {
        Assert.Equal(seconds, AnswerJson.RetryAfter(Exchange(429, body))?.TotalSeconds);
    }

    [Theory]
    [InlineData("""{"error":"License expired","code":"LICENSE_EXPIRED"}""", "LICENSE_EXPIRED: License expired")]
    [InlineData("""{"message":"Unauthorized: No tokens provided"}""", "Unauthorized: No tokens provided")]
    [InlineData("""{"error":{"message":"nested"}}""", "nested")]
    [InlineData("", "(empty body)")]
    public void ErrorText_Body_ReadsCodeAndMessage(string body, string expected)
    {
        Assert.Equal(expected, AnswerJson.ErrorText(Exchange(403, body)));
    }

    [Fact]
    public void Registry_EveryDialectHasUniqueNameAndAbsoluteDefaultPath()
    {
        Assert.Equal(TranscriptionDialects.All.Count, TranscriptionDialects.All.Select(d => d.Name).Distinct().Count());
        Assert.All(TranscriptionDialects.All, d => Assert.StartsWith("/", d.DefaultPath, StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => TranscriptionDialects.Get("grpc"));
    }

    private static HttpExchange Exchange(int status, string body, params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        using var content = new ByteArrayContent([]);
        return new HttpExchange(status, Encoding.UTF8.GetBytes(body), false, response.Headers, content.Headers);
    }
}
