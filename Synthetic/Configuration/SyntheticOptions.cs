namespace Synthetic.Configuration;

/// <summary>
/// The <c>Synthetic</c> configuration section as the user wrote it (see the README's configuration reference).
/// A null value means "not set": defaults are resolved once, into <see cref="MonitorPlan"/>, so a default can follow
/// the values the user did set.
/// </summary>
public sealed class SyntheticOptions
{
    public const string SectionName = "Synthetic";

    public List<TargetOptions> Targets { get; set; } = [];

    /// <summary>Where /metrics, /status and /healthz are served.</summary>
    public string Listen { get; set; } = "http://0.0.0.0:9190";

    /// <summary>Folder holding the canary clips and manifest.json; defaults to the copy next to the binary.</summary>
    public string? FixturesPath { get; set; }

    /// <summary>Spread first runs over one interval so many checks do not fire together.</summary>
    public bool SpreadStart { get; set; } = true;

    /// <summary>Clustering over PostgreSQL; off when no connection string is given.</summary>
    public ClusterOptions Cluster { get; set; } = new();

    /// <summary>Optional bearer-token protection of /, /status (and /metrics).</summary>
    public WebOptions Web { get; set; } = new();
}

public sealed class TargetOptions
{
    public string Name { get; set; } = string.Empty;

    public string BaseUrl { get; set; } = string.Empty;

    public string? LicenseKey { get; set; }

    public string? LicenseKeyFile { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>Reuse TCP connections between runs instead of a fresh connection per probe (like a new client).</summary>
    public bool ReuseConnections { get; set; }

    public HealthOptions Health { get; set; } = new();

    public CanaryOptions Canary { get; set; } = new();

    public StreamingOptions Streaming { get; set; } = new();

    /// <summary>Verification of an https target's certificate.</summary>
    public TlsOptions Tls { get; set; } = new();
}
