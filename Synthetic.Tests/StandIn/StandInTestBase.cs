using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Synthetic.StandIn;

namespace Synthetic.Tests.StandIn;

/// <summary>What the stand-in tests share: the fixture clips, constants of the dialects, requests shaped as each dialect's clients send them.</summary>
public abstract class StandInTestBase(StandInTestFixtures fixtures)
{
    protected const string Listen = "smallest-listen";
    protected const string GetText = "smallest-get-text";
    protected const string Pulse = "pulse";
    protected const string OpenAi = "openai";
    protected const string Key = "sk_super_secret_key_123";

    protected static readonly string[] HealthPaths =
        ["/health", "/health?detailed=true", "/health/asr", "/health/license", "/health/redis", "/api/v1/health", "/healthz", "/waves/v1/health"];

    protected StandInTestFixtures Fixtures => fixtures;

    protected Task<StandInServer> StartAsync(string? licenseKey = null, TimeProvider? timeProvider = null, long? maxBodyBytes = null)
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

    protected static HttpClient CreateClient(StandInServer server) =>
        new() { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A transcription request in the given dialect, shaped as that dialect's clients send it.</summary>
    protected static HttpRequestMessage Transcription(string dialect, byte[] audio, string? auth = null, string? query = null,
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

    protected static string? TranscriptOf(string dialect, JsonElement body) =>
        dialect is GetText or Pulse ? body.GetProperty("transcription").GetString() : body.GetProperty("text").GetString();

    protected static double DurationOf(string dialect, JsonElement body) =>
        dialect is GetText or Pulse ? body.GetProperty("metadata").GetProperty("duration").GetDouble() : body.GetProperty("duration").GetDouble();

    protected static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    protected static async Task<JsonElement> GetJsonAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(expected == response.StatusCode, $"GET {path}: expected {(int)expected}, got {(int)response.StatusCode}");
        return await JsonAsync(response);
    }

    protected static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "condition not met within 10 s");
            await Task.Delay(10);
        }
    }
}
