namespace Synthetic.Configuration;

public sealed class CanaryOptions
{
    public bool Enabled { get; set; } = true;

    public string Dialect { get; set; } = "smallest-listen";

    /// <summary>Null means the dialect's default path.</summary>
    public string? Path { get; set; }

    public TimeSpan? Interval { get; set; }

    /// <summary>Total time allowed per sample, retries included.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Time allowed per attempt; null means Timeout.</summary>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary>Sample ids from fixtures/audio/manifest.json. Null means [quick-brown-fox].</summary>
    public List<string>? Samples { get; set; }

    public string Language { get; set; } = "en";

    /// <summary>Model name sent by the openai dialect.</summary>
    public string Model { get; set; } = "whisper-1";

    public double? MaxWer { get; set; }

    public double? DegradedWer { get; set; }

    public TimeSpan? MaxLatency { get; set; }

    public TimeSpan? DegradedLatency { get; set; }

    /// <summary>A baseline written by <c>synthetic calibrate</c>; set, every transcript is compared with it (drift).</summary>
    public string? Baseline { get; set; }

    /// <summary>Drift (WER of the transcript against the baseline's) above which a run is degraded; null means 0.2.</summary>
    public double? MaxDrift { get; set; }

    /// <summary>At most one retry, only on connection-level errors.</summary>
    public int Retries { get; set; } = 1;
}
