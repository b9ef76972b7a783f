namespace Synthetic.Configuration;

/// <summary>A target's <c>Streaming</c> section: the streaming canary (design.md, "Contracts added with issues 7–11").</summary>
public sealed class StreamingOptions
{
    public bool Enabled { get; set; }

    public string Dialect { get; set; } = StreamingDialects.SmallestStream;

    /// <summary>Null means the dialect's default path.</summary>
    public string? Path { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Time allowed per sample: handshake, the audio at Pace, and the final transcript.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sample ids from fixtures/audio/manifest.json. Null means [quick-brown-fox].</summary>
    public List<string>? Samples { get; set; }

    /// <summary>Audio per binary frame.</summary>
    public TimeSpan ChunkDuration { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>1 = real time (what a voice agent sends); 2 = twice as fast.</summary>
    public double Pace { get; set; } = 1;

    public string Language { get; set; } = "en";

    /// <summary>Model named in the URL (pulse-live, deepgram) or the session (openai-realtime); null means the dialect's default.</summary>
    public string? Model { get; set; }

    /// <summary>Null: the sample's manifest <c>maxWer</c>, else 0.25 (the batch canary's rule).</summary>
    public double? MaxWer { get; set; }

    /// <summary>Null: the sample's manifest <c>degradedWer</c>, else 0.10 (following MaxWer when only that is set).</summary>
    public double? DegradedWer { get; set; }

    /// <summary>First audio frame sent → first non-empty transcript received.</summary>
    public TimeSpan MaxTimeToFirstTranscript { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan DegradedTimeToFirstTranscript { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Last audio frame sent → final transcript received.</summary>
    public TimeSpan MaxFinalizeLatency { get; set; } = TimeSpan.FromSeconds(3);

    public TimeSpan DegradedFinalizeLatency { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>The WER thresholds as configured (defaults filled in); per sample see <c>SampleScorer.ThresholdsFor</c>.</summary>
    internal WerThresholds Wer
    {
        get
        {
            var (max, degraded) = Defaults.Pair(MaxWer, DegradedWer, Defaults.MaxWer, Defaults.DegradedWer);
            return new WerThresholds(max, degraded, MaxWer is not null || DegradedWer is not null);
        }
    }

    internal static readonly string[] DefaultSamples = ["quick-brown-fox"];
}

public static class StreamingDialects
{
    public const string SmallestStream = "smallest-stream";
    public const string PulseLive = "pulse-live";
    public const string Deepgram = "deepgram";
    public const string OpenAiRealtime = "openai-realtime";

    public static readonly IReadOnlyList<string> All = [SmallestStream, PulseLive, Deepgram, OpenAiRealtime];
}
