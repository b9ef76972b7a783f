using Microsoft.Extensions.Configuration;
using Synthetic.Configuration;
using Synthetic.Checks.Transcription;
using Synthetic.Cli;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Configuration;

/// <summary>The <c>Streaming:</c> section: off by default, every bad value exits 2 naming its full key.</summary>
public sealed class StreamingConfigurationTests
{
    private const string S = "--Synthetic:Targets:0:Streaming:";

    public static TheoryData<string[], string> InvalidStreaming => new()
    {
        { [S + "Enabled=yes"], "Synthetic:Targets:0:Streaming:Enabled" },
        { [S + "Dialect=grpc"], "Synthetic:Targets:0:Streaming:Dialect" },
        { [S + "Path=v1/listen/stream"], "Synthetic:Targets:0:Streaming:Path" },
        { [S + "Interval=5s", S + "Timeout=10s"], "Synthetic:Targets:0:Streaming:Timeout" },
        { [S + "Interval=soon"], "Synthetic:Targets:0:Streaming:Interval" },
        { [S + "ChunkDuration=5ms"], "Synthetic:Targets:0:Streaming:ChunkDuration" },
        { [S + "ChunkDuration=later"], "Synthetic:Targets:0:Streaming:ChunkDuration" },
        { [S + "Pace=0"], "Synthetic:Targets:0:Streaming:Pace" },
        { [S + "Pace=fast"], "Synthetic:Targets:0:Streaming:Pace" },
        { [S + "Language=english"], "Synthetic:Targets:0:Streaming:Language" },
        { [S + "MaxWer=0.05", S + "DegradedWer=0.2"], "Synthetic:Targets:0:Streaming:DegradedWer" },
        { [S + "MaxTimeToFirstTranscript=1s", S + "DegradedTimeToFirstTranscript=2s"], "Synthetic:Targets:0:Streaming:DegradedTimeToFirstTranscript" },
        { [S + "MaxFinalizeLatency=0s"], "Synthetic:Targets:0:Streaming:MaxFinalizeLatency" },
        { [S + "Samples:0=quick-brown-fox", S + "Samples:1=quick-brown-fox"], "Synthetic:Targets:0:Streaming:Samples" },
        { [S + "Enabled=true", S + "Samples:0=no-such-clip"], "Synthetic:Targets:0:Streaming:Samples:0" },
        { [S + "Chunk=100ms"], "Synthetic:Targets:0:Streaming:Chunk" },
    };

    [Theory]
    [MemberData(nameof(InvalidStreaming))]
    public async Task Run_InvalidStreaming_ExitsTwoNamingKey(string[] args, string key)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await SyntheticCommandLine.RunAsync(["run", "--Synthetic:Listen=http://127.0.0.1:0", .. args], stdout, stderr);

        Assert.Equal(ExitCodes.BadConfiguration, exit);
        Assert.Contains(key, stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoStreamingSection_StreamingOffWithDocumentedDefaults()
    {
        var loaded = Load(new() { ["Synthetic:Targets:0:Name"] = "a", ["Synthetic:Targets:0:BaseUrl"] = "http://127.0.0.1:1" });

        Assert.Empty(loaded.Errors);
        Assert.Null(loaded.Plan!.Targets[0].Streaming);
        Assert.False(new StreamingOptions().Enabled);
        var streaming = StreamingPlan.Default;
        Assert.Equal("smallest-stream", streaming.Dialect);
        Assert.Equal(TimeSpan.FromMilliseconds(100), streaming.ChunkDuration);
        Assert.Equal(1, streaming.Pace);
        Assert.Equal(TimeSpan.FromSeconds(2), streaming.MaxTimeToFirstTranscript);
    }

    [Fact]
    public void Load_ShortDurationsAndCommaSamples_AreParsed()
    {
        var loaded = Load(new()
        {
            ["Synthetic:Targets:0:Name"] = "a",
            ["Synthetic:Targets:0:BaseUrl"] = "https://asr.example:7100",
            ["Synthetic:Targets:0:Streaming:Enabled"] = "true",
            ["Synthetic:Targets:0:Streaming:Dialect"] = "deepgram",
            ["Synthetic:Targets:0:Streaming:ChunkDuration"] = "40ms",
            ["Synthetic:Targets:0:Streaming:MaxTimeToFirstTranscript"] = "1500ms",
            ["Synthetic:Targets:0:Streaming:Samples"] = "quick-brown-fox, numbers-dates",
        });

        Assert.Empty(loaded.Errors);
        var streaming = loaded.Plan!.Targets[0].Streaming!;
        Assert.True(loaded.Plan.Targets[0].HasVerdicts);
        Assert.Equal(TimeSpan.FromMilliseconds(40), streaming.ChunkDuration);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), streaming.MaxTimeToFirstTranscript);
        Assert.Equal(["quick-brown-fox", "numbers-dates"], streaming.Samples);
    }

    [Fact]
    public void Load_OnlyStreamingEnabled_IsAValidTarget()
    {
        var loaded = Load(new()
        {
            ["Synthetic:Targets:0:Name"] = "a",
            ["Synthetic:Targets:0:BaseUrl"] = "http://127.0.0.1:1",
            ["Synthetic:Targets:0:Health:Enabled"] = "false",
            ["Synthetic:Targets:0:Canary:Enabled"] = "false",
            ["Synthetic:Targets:0:Streaming:Enabled"] = "true",
        });

        Assert.Empty(loaded.Errors);
    }

    private static ConfigurationLoadResult Load(Dictionary<string, string?> values) =>
        ConfigurationLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), TranscriptionDialects.Catalog);

    [Fact]
    public void Load_OnlyShortStreamingInterval_TimeoutAndTtftDefaultsFollow()
    {
        var loaded = Load(new()
        {
            ["Synthetic:Targets:0:Name"] = "a",
            ["Synthetic:Targets:0:BaseUrl"] = "http://127.0.0.1:1",
            ["Synthetic:Targets:0:Streaming:Enabled"] = "true",
            ["Synthetic:Targets:0:Streaming:Interval"] = "10s",
            ["Synthetic:Targets:0:Streaming:MaxTimeToFirstTranscript"] = "500ms",
        });

        Assert.Empty(loaded.Errors);
        var streaming = loaded.Plan!.Targets[0].Streaming!;
        Assert.Equal(TimeSpan.FromSeconds(5), streaming.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), streaming.DegradedTimeToFirstTranscript);
    }
}
