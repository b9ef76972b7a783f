using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Synthetic.StandIn;
using Synthetic.StandIn.Recognition;
using Synthetic.StandIn.Streaming;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.StandIn.Streaming;

/// <summary>The stand-in's streaming side spoken to with a bare <see cref="ClientWebSocket"/>, message by message.</summary>
public sealed class StandInStreamingTests
{
    private const string Key = "standin-stream-key";

    [Fact]
    public async Task SmallestStream_OldEndMessage_PartialsGrowThenIsLastThenNormalClose()
    {
        await using var standIn = await StartAsync();
        using var socket = await ConnectAsync(standIn, "/v1/listen/stream?language=en&sample_rate=16000&encoding=linear16", "Token");

        await SendClipAsync(socket, "quick-brown-fox.wav");
        await SendTextAsync(socket, """{"type":"end"}""");
        var messages = await ReadUntilCloseAsync(socket);

        var partials = messages.Where(m => !m.GetProperty("is_final").GetBoolean()).Select(m => m.GetProperty("transcript").GetString()!).ToList();
        Assert.True(partials.Count >= 3, $"{partials.Count} partials");
        Assert.True(partials.Zip(partials.Skip(1)).All(p => p.Second.StartsWith(p.First, StringComparison.Ordinal)), "partials only grow");
        var last = messages[^1];
        Assert.True(last.GetProperty("is_last").GetBoolean());
        Assert.Equal("The quick brown fox jumps over the lazy dog.", last.GetProperty("full_transcript").GetString());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task Deepgram_FinalizeThenCloseStream_FromFinalizeSegmentThenMetadata()
    {
        await using var standIn = await StartAsync();
        using var socket = await ConnectAsync(standIn, "/v1/listen?encoding=linear16&sample_rate=16000", "Token");

        await SendClipAsync(socket, "second-voice.wav");
        await SendTextAsync(socket, """{"type":"Finalize"}""");
        await SendTextAsync(socket, """{"type":"KeepAlive"}""");
        await SendTextAsync(socket, """{"type":"CloseStream"}""");
        var messages = await ReadUntilCloseAsync(socket);

        var finalized = messages.Single(m => m.GetProperty("type").GetString() == "Results" && m.GetProperty("from_finalize").GetBoolean());
        Assert.Equal("Please confirm the delivery address before the package leaves the warehouse.",
            finalized.GetProperty("channel").GetProperty("alternatives")[0].GetProperty("transcript").GetString());
        Assert.Equal("Metadata", messages[^1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task WrongSampleRate_FixtureClip_GarbledLikeAServerThatDoesNotResample()
    {
        await using var standIn = await StartAsync();
        using var socket = await ConnectAsync(standIn, "/waves/v1/stt/live?model=pulse&language=en&sample_rate=8000&encoding=linear16", "Bearer");

        await SendClipAsync(socket, "quick-brown-fox.wav");
        await SendTextAsync(socket, """{"type":"close_stream"}""");
        var last = (await ReadUntilCloseAsync(socket))[^1];

        Assert.Contains("banana", last.GetProperty("full_transcript").GetString(), StringComparison.Ordinal);
        Assert.Equal(8000, standIn.StreamStats.LastSampleRate);
    }

    [Fact]
    public async Task Recognizer_Configured_PartialsFromRedecodingAndFinalFromTheWhole()
    {
        var recognizer = new CountingRecognizer();
        await using var standIn = await StartAsync(recognizer);
        using var socket = await ConnectAsync(standIn, "/v1/realtime?intent=transcription", "Bearer");
        await SendTextAsync(socket, """{"type":"session.update","session":{"type":"transcription","audio":{"input":{"format":{"type":"audio/pcm","rate":8000}}}}}""");

        var pcm = PcmCatalog.ReadMonoPcm(File.ReadAllBytes(RepoPaths.Combine("fixtures", "audio", "quick-brown-fox.wav")))!.Value.Pcm;
        for (var offset = 0; offset < pcm.Length; offset += 1600)
        {
            var chunk = Convert.ToBase64String(pcm, offset, Math.Min(1600, pcm.Length - offset));
            await SendTextAsync(socket, $$"""{"type":"input_audio_buffer.append","audio":"{{chunk}}"}""");
            await Task.Delay(100);
        }

        await SendTextAsync(socket, """{"type":"input_audio_buffer.commit"}""");
        var messages = await ReadUntilAsync(socket, m => m.GetProperty("type").GetString()!.EndsWith(".completed", StringComparison.Ordinal));

        var deltas = messages.Where(m => m.GetProperty("type").GetString()!.EndsWith(".delta", StringComparison.Ordinal)).ToList();
        Assert.True(deltas.Count >= 2, $"{deltas.Count} deltas from re-decoding");
        // Declared 8 kHz: the recognizer got the audio resampled to 16 kHz (twice the samples).
        Assert.Equal(pcm.Length, recognizer.LastSamples);
        Assert.Equal(CountingRecognizer.TextFor(pcm.Length), messages[^1].GetProperty("transcript").GetString());
        var partial = string.Concat(deltas.Select(d => d.GetProperty("delta").GetString()));
        Assert.StartsWith(partial, messages[^1].GetProperty("transcript").GetString(), StringComparison.Ordinal);
        Assert.True(deltas[0].GetProperty("delta").GetString()!.Length < messages[^1].GetProperty("transcript").GetString()!.Length,
            "the first partial came before the whole audio");
    }

    [Fact]
    public async Task Refusals_AtTheUpgrade_StatusByCauseWhileBatchStillWorks()
    {
        await using var standIn = await StartAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeStatusAsync(standIn, "/v1/listen/stream", "Bearer"));
        Assert.Equal(HttpStatusCode.BadRequest, await UpgradeStatusAsync(standIn, "/waves/v1/stt/live?language=en", "Bearer"));

        standIn.SetMode(new StandInMode("stream-broken"));
        Assert.Equal(HttpStatusCode.BadGateway, await UpgradeStatusAsync(standIn, "/v1/listen/stream", "Token"));
        using var http = new HttpClient { BaseAddress = standIn.BaseUrl };
        using var form = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(RepoPaths.Combine("fixtures", "audio", "quick-brown-fox.wav"))), "audio", "a.wav" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/listen") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", Key);
        using var batch = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }

    private static Task<StandInServer> StartAsync(IRecognizer? recognizer = null) => StandInServer.StartAsync(new StandInOptions
    {
        FixturesPath = RepoPaths.Combine("fixtures", "audio"),
        LicenseKey = Key,
        Recognizer = recognizer,
    });

    private static async Task<ClientWebSocket> ConnectAsync(StandInServer standIn, string pathAndQuery, string scheme)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"{scheme} {Key}");
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(new Uri(new Uri(standIn.BaseUrl.ToString().Replace("http", "ws", StringComparison.Ordinal)), pathAndQuery), CancellationToken.None);
        return socket;
    }

    private static async Task<HttpStatusCode> UpgradeStatusAsync(StandInServer standIn, string pathAndQuery, string scheme)
    {
        try
        {
            using var socket = await ConnectAsync(standIn, pathAndQuery, scheme);
            return HttpStatusCode.SwitchingProtocols;
        }
        catch (WebSocketException)
        {
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            socket.Options.SetRequestHeader("Authorization", $"{scheme} {Key}");
            try
            {
                await socket.ConnectAsync(new Uri(new Uri(standIn.BaseUrl.ToString().Replace("http", "ws", StringComparison.Ordinal)), pathAndQuery), CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }

            return socket.HttpStatusCode;
        }
    }

    private static async Task SendClipAsync(ClientWebSocket socket, string file)
    {
        var pcm = PcmCatalog.ReadMonoPcm(File.ReadAllBytes(RepoPaths.Combine("fixtures", "audio", file)))!.Value.Pcm;
        for (var offset = 0; offset < pcm.Length; offset += 3200)
        {
            await socket.SendAsync(pcm.AsMemory(offset, Math.Min(3200, pcm.Length - offset)), WebSocketMessageType.Binary, true, CancellationToken.None);
        }
    }

    private static Task SendTextAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    private static Task<List<JsonElement>> ReadUntilCloseAsync(ClientWebSocket socket) => ReadUntilAsync(socket, _ => false);

    private static async Task<List<JsonElement>> ReadUntilAsync(ClientWebSocket socket, Func<JsonElement, bool> last)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var messages = new List<JsonElement>();
        var buffer = new byte[1 << 20];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                return messages;
            }

            Assert.True(result.EndOfMessage, "the stand-in sends small whole messages");
            var message = JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
            messages.Add(message);
            if (last(message))
            {
                return messages;
            }
        }
    }

    /// <summary>"word" once per 4,000 samples of what it is given: partials grow with the audio, deterministically.</summary>
    private sealed class CountingRecognizer : IRecognizer
    {
        public int LastSamples;

        public static string TextFor(int samples) => string.Join(' ', Enumerable.Repeat("word", samples / 4000));

        public Task<string> TranscribeAsync(ReadOnlyMemory<short> pcm16kMono, CancellationToken cancellationToken)
        {
            LastSamples = pcm16kMono.Length;
            return Task.FromResult(TextFor(pcm16kMono.Length));
        }

        public void Dispose()
        {
        }
    }
}
