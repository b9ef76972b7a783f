using System.Net.Http.Headers;
using System.Text.Json;
using Synthetic.StandIn;
using Synthetic.StandIn.Recognition;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.StandIn.Recognition;

/// <summary>One stand-in with <c>--recognizer pocketsphinx</c> for the whole test run (the model loads once).</summary>
public sealed class RealRecognitionStandIn : IAsyncLifetime
{
    private StandInServer? _server;

    public StandInServer Server => _server ?? throw new InvalidOperationException("not started");

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        PocketSphinxRequirement.Require();
        _server = await StandInServer.StartAsync(new StandInOptions
        {
            FixturesPath = RepoPaths.Combine("fixtures", "audio"),
            RecognizerKind = RecognizerChoice.PocketSphinx,
        });
        Http = new HttpClient { BaseAddress = _server.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Posts <paramref name="wav"/> in one of the four batch dialects; returns the status and the transcript.</summary>
    public async Task<(int Status, string Text)> TranscribeAsync(string dialect, byte[] wav)
    {
        using HttpContent content = dialect switch
        {
            "smallest-listen" => new MultipartFormDataContent { { Audio(wav), "audio", "clip.wav" } },
            "openai" => new MultipartFormDataContent { { Audio(wav), "file", "clip.wav" }, { new StringContent("whisper-1"), "model" } },
            _ => Audio(wav),
        };
        var path = dialect switch
        {
            "smallest-listen" => "/v1/listen",
            "smallest-get-text" => "/api/v1/lightning/get_text",
            "pulse" => "/waves/v1/pulse/get_text",
            "openai" => "/v1/audio/transcriptions",
            _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "unknown dialect"),
        };
        using var response = await Http.PostAsync(new Uri(path, UriKind.Relative), content);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var text = json.RootElement.TryGetProperty("transcription", out var t) ? t : json.RootElement.GetProperty("text");
        return ((int)response.StatusCode, text.GetString() ?? string.Empty);
    }

    private static ByteArrayContent Audio(byte[] wav)
    {
        var audio = new ByteArrayContent(wav);
        audio.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        return audio;
    }
}

/// <summary>
/// Every test that talks to the shared pocketsphinx stand-in (they switch its mode, so one at a time). Decoding
/// keeps a core busy, so the collection runs alone, after the parallel tests, and cannot blur their timings.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealRecognitionCollection : ICollectionFixture<RealRecognitionStandIn>
{
    public const string Name = "real-recognition";
}
