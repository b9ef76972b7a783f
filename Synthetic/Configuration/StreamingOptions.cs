namespace Synthetic.Configuration;

/// <summary>A target's <c>Streaming</c> section as written: the streaming canary (design.md, "Contracts added with issues 7–11"). Null means not set.</summary>
public sealed class StreamingOptions
{
    public bool Enabled { get; set; }

    public string Dialect { get; set; } = StreamingDialects.SmallestStream;

    /// <summary>Null means the dialect's default path.</summary>
    public string? Path { get; set; }

    public TimeSpan? Interval { get; set; }

    /// <summary>Time allowed per sample: handshake, the audio at Pace, and the final transcript.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Sample ids from fixtures/audio/manifest.json. Null means [quick-brown-fox].</summary>
    public List<string>? Samples { get; set; }

    /// <summary>Audio per binary frame.</summary>
    public TimeSpan ChunkDuration { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>1 = real time (what a voice agent sends); 2 = twice as fast.</summary>
    public double Pace { get; set; } = 1;

    public string Language { get; set; } = "en";

    /// <summary>Model named in the URL (pulse-live, deepgram) or the session (openai-realtime); null means the dialect's default.</summary>
    public string? Model { get; set; }

    public double? MaxWer { get; set; }

    public double? DegradedWer { get; set; }

    /// <summary>First audio frame sent → first non-empty transcript received.</summary>
    public TimeSpan? MaxTimeToFirstTranscript { get; set; }

    public TimeSpan? DegradedTimeToFirstTranscript { get; set; }

    /// <summary>Last audio frame sent → final transcript received.</summary>
    public TimeSpan? MaxFinalizeLatency { get; set; }

    public TimeSpan? DegradedFinalizeLatency { get; set; }
}

public static class StreamingDialects
{
    public const string SmallestStream = "smallest-stream";
    public const string PulseLive = "pulse-live";
    public const string Deepgram = "deepgram";
    public const string OpenAiRealtime = "openai-realtime";

    public static readonly IReadOnlyList<string> All = [SmallestStream, PulseLive, Deepgram, OpenAiRealtime];
}
