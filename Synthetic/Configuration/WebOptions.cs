namespace Synthetic.Configuration;

/// <summary>The <c>Synthetic:Web</c> section: optional bearer-token protection of the status page, /status and /metrics.</summary>
public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>The token; prefer <see cref="BearerTokenFile"/> so it stays out of configuration files and the environment.</summary>
    public string? BearerToken { get; set; }

    /// <summary>A file holding the token (read once at start-up, trimmed), e.g. /run/secrets/status_token.</summary>
    public string? BearerTokenFile { get; set; }

    /// <summary>Also require the token on /metrics (Prometheus then needs <c>authorization: { credentials_file: … }</c>).</summary>
    public bool ProtectMetrics { get; set; }

    /// <summary>The token read from BearerToken or BearerTokenFile; null when the pages are open. Never logged.</summary>
    internal string? ResolvedToken { get; set; }
}
