using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Synthetic.Checks.Streaming;
using Synthetic.Configuration;

namespace Synthetic.Tests.Checks.Streaming;

/// <summary>Each dialect's URL, messages and parsing, without a socket.</summary>
public sealed class StreamingDialectTests
{
    private static readonly StreamingPlan Options = StreamingPlan.Default with { Language = "de" };

    [Theory]
    [InlineData("smallest-stream", "http://asr:7100/", "ws://asr:7100/v1/listen/stream?language=de&sample_rate=22050&encoding=linear16")]
    [InlineData("pulse-live", "https://api.smallest.ai/", "wss://api.smallest.ai/waves/v1/stt/live?model=pulse&language=de&sample_rate=22050&encoding=linear16")]
    [InlineData("deepgram", "https://dg.example/", "wss://dg.example/v1/listen?language=de&encoding=linear16&sample_rate=22050&channels=1&interim_results=true")]
    [InlineData("openai-realtime", "http://vllm:8000/prefix/", "ws://vllm:8000/prefix/v1/realtime?intent=transcription")]
    public void BuildUrl_Dialect_SchemePathAndQueryWithTheClipsRate(string dialect, string baseUrl, string expected)
    {
        var url = StreamingCanary.BuildUrl(new Uri(baseUrl), Options, StreamingDialectRegistry.Get(dialect), 22050);

        Assert.Equal(expected, url.ToString());
    }

    [Fact]
    public void BuildUrl_ConfiguredPath_ReplacesTheDialectsPath()
    {
        var options = StreamingPlan.Default with { Path = "/custom/stream" };

        var url = StreamingCanary.BuildUrl(new Uri("http://asr:7100/"), options, StreamingDialectRegistry.Get("smallest-stream"), 16000);

        Assert.Equal("/custom/stream", url.AbsolutePath);
    }

    [Theory]
    [InlineData("smallest-stream", "Token", new[] { "close_stream" })]
    [InlineData("pulse-live", "Bearer", new[] { "close_stream" })]
    [InlineData("deepgram", "Token", new[] { "Finalize", "CloseStream" })]
    [InlineData("openai-realtime", "Bearer", new[] { "input_audio_buffer.commit" })]
    public void Dialect_AuthSchemeAndEndOfAudio(string dialect, string scheme, string[] endTypes)
    {
        var d = StreamingDialectRegistry.Get(dialect);

        Assert.Equal(scheme, d.AuthScheme);
        Assert.Equal(endTypes, d.EndOfAudio.Select(m => JsonDocument.Parse(m).RootElement.GetProperty("type").GetString()));
    }

    [Fact]
    public void OpenAi_StartAndAudio_SessionUpdateNamesRateAndAudioIsBase64Json()
    {
        var d = StreamingDialectRegistry.Get("openai-realtime");

        var start = JsonDocument.Parse(Assert.Single(d.StartMessages(StreamingPlan.Default with { Model = "whisper-large-v3" }, 24000))).RootElement;
        var frame = d.EncodeAudio([1, 2, 3, 4]);

        Assert.Equal("session.update", start.GetProperty("type").GetString());
        var input = start.GetProperty("session").GetProperty("audio").GetProperty("input");
        Assert.Equal(24000, input.GetProperty("format").GetProperty("rate").GetInt32());
        Assert.Equal("whisper-large-v3", input.GetProperty("transcription").GetProperty("model").GetString());
        Assert.Equal(WebSocketMessageType.Text, frame.Type);
        var append = JsonDocument.Parse(frame.Bytes).RootElement;
        Assert.Equal("input_audio_buffer.append", append.GetProperty("type").GetString());
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, Convert.FromBase64String(append.GetProperty("audio").GetString()!));
    }

    [Theory]
    [InlineData("smallest-stream")]
    [InlineData("deepgram")]
    public void BinaryDialects_Audio_IsTheRawPcm(string dialect)
    {
        var frame = StreamingDialectRegistry.Get(dialect).EncodeAudio([9, 8, 7, 6]);

        Assert.Equal(WebSocketMessageType.Binary, frame.Type);
        Assert.Equal(new byte[] { 9, 8, 7, 6 }, frame.Bytes.ToArray());
    }

    [Fact]
    public void SmallestParser_PartialsSegmentsAndIsLast_FinalIsTheFullTranscript()
    {
        var parser = StreamingDialectRegistry.Get("smallest-stream").CreateParser();

        Assert.Equal(StreamEvent.Partial("hello"), Parse(parser, """{"type":"transcription","transcript":"hello","is_final":false,"is_last":false}"""));
        Assert.Equal(StreamEvent.Partial("hello world"), Parse(parser, """{"type":"transcription","transcript":"hello world","is_final":true,"is_last":false}"""));
        Assert.Equal(StreamEvent.Partial("hello world how"), Parse(parser, """{"type":"transcription","transcript":"how","is_final":false}"""));
        Assert.Equal(StreamEvent.Ignored, Parse(parser, """{"type":"speech_started","timestamp":1.84}"""));
        Assert.Equal(StreamEvent.Final("hello world how are you"),
            Parse(parser, """{"type":"transcription","transcript":"how are you","is_final":true,"is_last":true}"""));
    }

    [Fact]
    public void SmallestParser_FullTranscriptField_WinsOverSegments()
    {
        var parser = StreamingDialectRegistry.Get("pulse-live").CreateParser();

        Assert.Equal(StreamEvent.Final("all of it"),
            Parse(parser, """{"type":"transcription","transcript":"it","full_transcript":"all of it","is_final":true,"is_last":true}"""));
    }

    [Fact]
    public void SmallestParser_ErrorMessage_IsAnError()
    {
        var parser = StreamingDialectRegistry.Get("smallest-stream").CreateParser();

        Assert.Equal(StreamEvent.Error("quota"), Parse(parser, """{"type":"error","status":"error","message":"quota"}"""));
        Assert.Equal(StreamEventKind.Invalid, Parse(parser, """{"hello":1}""").Kind);
    }

    [Fact]
    public void DeepgramParser_FinalSegmentsAddUp_FromFinalizeIsTheFinal()
    {
        var parser = StreamingDialectRegistry.Get("deepgram").CreateParser();

        Assert.Equal(StreamEvent.Partial("the quick"), Parse(parser, Results("the quick", isFinal: false, fromFinalize: false)));
        Assert.Equal(StreamEvent.Partial("the quick brown"), Parse(parser, Results("the quick brown", isFinal: true, fromFinalize: false)));
        Assert.Equal(StreamEvent.Partial("the quick brown fox"), Parse(parser, Results("fox", isFinal: false, fromFinalize: false)));
        Assert.Equal(StreamEvent.Final("the quick brown fox jumps"), Parse(parser, Results("fox jumps", isFinal: true, fromFinalize: true)));
    }

    [Fact]
    public void DeepgramParser_MetadataWithoutFromFinalize_EndsWithTheSegmentsSoFar()
    {
        var parser = StreamingDialectRegistry.Get("deepgram").CreateParser();

        Parse(parser, Results("one two", isFinal: true, fromFinalize: false));
        Assert.Equal(StreamEvent.Final("one two"), Parse(parser, """{"type":"Metadata","request_id":"r","duration":1.2}"""));
        Assert.Equal(StreamEvent.Error("bad"), Parse(parser, """{"type":"Error","description":"bad"}"""));
        Assert.Equal(StreamEvent.Ignored, Parse(parser, """{"type":"UtteranceEnd"}"""));
    }

    [Fact]
    public void OpenAiParser_DeltasAddUp_CompletedIsTheFinal_ErrorReadsTheMessage()
    {
        var parser = StreamingDialectRegistry.Get("openai-realtime").CreateParser();

        Assert.Equal(StreamEvent.Ignored, Parse(parser, """{"type":"session.updated","session":{}}"""));
        Assert.Equal(StreamEvent.Partial("Hello"), Parse(parser, """{"type":"conversation.item.input_audio_transcription.delta","delta":"Hello"}"""));
        Assert.Equal(StreamEvent.Partial("Hello world"), Parse(parser, """{"type":"conversation.item.input_audio_transcription.delta","delta":" world"}"""));
        Assert.Equal(StreamEvent.Final("Hello world."), Parse(parser, """{"type":"conversation.item.input_audio_transcription.completed","transcript":"Hello world."}"""));
        Assert.Equal(StreamEvent.Error("slow down"), Parse(parser, """{"type":"error","error":{"type":"rate_limit","message":"slow down"}}"""));
    }

    [Fact]
    public void OpenAiParser_EndlessDeltas_TextStaysBounded()
    {
        var parser = StreamingDialectRegistry.Get("openai-realtime").CreateParser();
        var delta = """{"type":"conversation.item.input_audio_transcription.delta","delta":" """ + new string('x', 10_000) + "\"}";

        StreamEvent last = default;
        for (var i = 0; i < 20; i++)
        {
            last = Parse(parser, delta);
        }

        Assert.True(last.Text.Length <= StreamingDialectRegistry.MaxTextChars, $"{last.Text.Length} characters");
    }

    [Fact]
    public void Registry_KnowsExactlyTheConfigurableDialects()
    {
        Assert.Equal(StreamingDialects.All.Order(), StreamingDialectRegistry.Names.Order());
    }

    private static StreamEvent Parse(IStreamParser parser, string json) => parser.Parse(Encoding.UTF8.GetBytes(json));

    private static string Results(string transcript, bool isFinal, bool fromFinalize) =>
        $$$"""{"type":"Results","is_final":{{{(isFinal ? "true" : "false")}}},"from_finalize":{{{(fromFinalize ? "true" : "false")}}},"channel":{"alternatives":[{"transcript":"{{{transcript}}}"}]}}""";
}
