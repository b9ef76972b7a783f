using Microsoft.Extensions.Configuration;

namespace Synthetic.Configuration;

/// <summary>The <c>Synthetic</c> configuration section (see the README's configuration reference).</summary>
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

    /// <summary>The key read from LicenseKey or LicenseKeyFile at start-up; never logged or exported.</summary>
    internal string? ResolvedLicenseKey { get; set; }
}

public sealed class HealthOptions
{
    public bool Enabled { get; set; } = true;

    public string Path { get; set; } = "/health";

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Also GET Path?detailed=true for component gauges, uptime and version.</summary>
    public bool Detailed { get; set; } = true;

    /// <summary>Component names probed at Path/&lt;name&gt;. Null means the self-host defaults.</summary>
    public List<string>? Components { get; set; }

    public ExpectOptions Expect { get; set; } = new();

    /// <summary>Retries on connection-level errors; off by default (the alert's <c>for:</c> absorbs flakiness).</summary>
    public int Retries { get; set; }

    internal static readonly string[] DefaultComponents = ["asr", "license", "redis"];
}

public sealed class ExpectOptions
{
    public int Status { get; set; } = 200;

    /// <summary>Dotted path of a JSON value in the body (e.g. <c>status</c>); empty disables JSON parsing.</summary>
    public string? JsonPath { get; set; } = "status";

    /// <summary>The value at JsonPath that means healthy (compared case-insensitively, as a whole value).</summary>
    [ConfigurationKeyName("Equals")]
    public string? EqualsValue { get; set; } = "healthy";

    /// <summary>Alternative for non-JSON dialects such as /healthz: the body must contain this text.</summary>
    public string? Contains { get; set; }
}

public sealed class CanaryOptions
{
    public bool Enabled { get; set; } = true;

    public string Dialect { get; set; } = Dialects.SmallestListen;

    /// <summary>Null means the dialect's default path.</summary>
    public string? Path { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Total time allowed per sample, retries included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed per attempt; null means Timeout.</summary>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary>Sample ids from fixtures/audio/manifest.json. Null means [quick-brown-fox].</summary>
    public List<string>? Samples { get; set; }

    public string Language { get; set; } = "en";

    /// <summary>Model name sent by the openai dialect.</summary>
    public string Model { get; set; } = "whisper-1";

    public double MaxWer { get; set; } = 0.25;

    public double DegradedWer { get; set; } = 0.10;

    public TimeSpan MaxLatency { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan DegradedLatency { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most one retry, only on connection-level errors.</summary>
    public int Retries { get; set; } = 1;

    internal static readonly string[] DefaultSamples = ["quick-brown-fox"];
}

public static class Dialects
{
    public const string SmallestListen = "smallest-listen";
    public const string SmallestGetText = "smallest-get-text";
    public const string Pulse = "pulse";
    public const string OpenAi = "openai";

    public static readonly IReadOnlyList<string> All = [SmallestListen, SmallestGetText, Pulse, OpenAi];

    public static string DefaultPath(string dialect) => dialect switch
    {
        SmallestGetText => "/api/v1/lightning/get_text",
        Pulse => "/waves/v1/pulse/get_text",
        OpenAi => "/v1/audio/transcriptions",
        _ => "/v1/listen",
    };
}
