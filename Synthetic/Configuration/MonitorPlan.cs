namespace Synthetic.Configuration;

/// <summary>
/// The validated configuration with every default resolved, once: checks, metrics, verdicts and /status all read
/// this and never look at the raw options again.
/// </summary>
internal sealed record MonitorPlan(string Listen, string? FixturesPath, bool SpreadStart, IReadOnlyList<TargetPlan> Targets)
{
    /// <summary>Bearer-token protection of the status page, /status and /metrics.</summary>
    public WebPlan Web { get; init; } = WebPlan.Open;

    /// <summary>Clustering over PostgreSQL (<see cref="ClusterOptions.Enabled"/> false: the in-memory store).</summary>
    public ClusterOptions Cluster { get; init; } = new();
}

/// <summary>One target: where it is, its secret (never logged or exported) and the checks it gets.</summary>
internal sealed record TargetPlan(
    string Name,
    Uri BaseUrl,
    string? LicenseKey,
    IReadOnlyDictionary<string, string> Labels,
    bool ReuseConnections,
    HealthPlan? Health,
    CanaryPlan? Canary)
{
    /// <summary>The streaming canary's settings (validated); null when it is off.</summary>
    public StreamingPlan? Streaming { get; init; }

    /// <summary>Verdicts compare health with a transcription path (batch or streaming), so they need both.</summary>
    public bool HasVerdicts => Health is not null && (Canary is not null || Streaming is not null);

    /// <summary>How an https target's certificate is verified.</summary>
    public TlsPlan Tls { get; init; } = TlsPlan.Default;
}

internal sealed record HealthPlan(
    string Path,
    TimeSpan Interval,
    TimeSpan Timeout,
    bool Detailed,
    IReadOnlyList<string> Components,
    ExpectPlan Expect,
    int Retries)
{
    /// <summary>The defaults, for tests and tools that build a probe by hand.</summary>
    public static HealthPlan Default { get; } = new("/health", Defaults.HealthInterval, Defaults.HealthTimeout, true, Defaults.Components,
        ExpectPlan.Default, 0);
}

/// <summary>What a healthy answer looks like: a status code and a JSON value, or a substring for plain-text bodies.</summary>
internal sealed record ExpectPlan(int Status, string? JsonPath, string? EqualsValue, string? Contains)
{
    public static ExpectPlan Default { get; } = new(200, "status", "healthy", null);
}

internal sealed record CanaryPlan(
    string Dialect,
    string Path,
    TimeSpan Interval,
    TimeSpan Timeout,
    TimeSpan AttemptTimeout,
    IReadOnlyList<string> Samples,
    string Language,
    string Model,
    WerThresholds Wer,
    TimeSpan MaxLatency,
    TimeSpan DegradedLatency,
    int Retries)
{
    public static CanaryPlan Default { get; } = new("smallest-listen", "/v1/listen", Defaults.CanaryInterval, Defaults.CanaryTimeout,
        Defaults.CanaryTimeout, Defaults.Samples, "en", "whisper-1", WerThresholds.Default, Defaults.MaxLatency, Defaults.DegradedLatency, 1);

    /// <summary>The calibrated baseline (<c>Canary:Baseline</c>); null: no drift detection.</summary>
    public CanaryBaseline? Baseline { get; init; }

    /// <summary>Drift above which a sample is degraded (<c>Canary:MaxDrift</c>).</summary>
    public double MaxDrift { get; init; } = Defaults.MaxDrift;
}

/// <summary>
/// Word error rate thresholds. <see cref="SetByUser"/> says the target's configuration chose them, which then
/// overrides the thresholds a sample carries in the manifest.
/// </summary>
internal sealed record WerThresholds(double Max, double Degraded, bool SetByUser)
{
    public static WerThresholds Default { get; } = new(Defaults.MaxWer, Defaults.DegradedWer, false);
}

/// <summary>The dialects the checks speak, by name, with their default paths (given by the checks' registries).</summary>
internal sealed record DialectCatalog(IReadOnlyDictionary<string, string> DefaultPaths);
