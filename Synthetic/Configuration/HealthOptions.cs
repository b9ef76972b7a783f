using Microsoft.Extensions.Configuration;

namespace Synthetic.Configuration;

public sealed class HealthOptions
{
    public bool Enabled { get; set; } = true;

    public string Path { get; set; } = "/health";

    public TimeSpan? Interval { get; set; }

    public TimeSpan? Timeout { get; set; }

    /// <summary>Also GET Path?detailed=true for component gauges, uptime and version.</summary>
    public bool Detailed { get; set; } = true;

    /// <summary>Component names probed at Path/&lt;name&gt;. Null means the self-host defaults.</summary>
    public List<string>? Components { get; set; }

    public ExpectOptions Expect { get; set; } = new();

    /// <summary>Retries on connection-level errors; off by default (the alert's <c>for:</c> absorbs flakiness).</summary>
    public int Retries { get; set; }
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
