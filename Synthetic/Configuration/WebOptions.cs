namespace Synthetic.Configuration;

/// <summary>The <c>Synthetic:Web</c> section: optional bearer-token protection of the status page, /status and /metrics.</summary>
public sealed class WebOptions
{
    /// <summary>The token; prefer <see cref="BearerTokenFile"/> so it stays out of configuration files and the environment.</summary>
    public string? BearerToken { get; set; }

    /// <summary>A file holding the token (read once at start-up, trimmed), e.g. /run/secrets/status_token.</summary>
    public string? BearerTokenFile { get; set; }

    /// <summary>Also require the token on /metrics (Prometheus then needs <c>authorization: { credentials_file: … }</c>).</summary>
    public bool ProtectMetrics { get; set; }
}

/// <summary>The resolved protection: the token (null: the pages are open; never logged) and whether /metrics needs it.</summary>
internal sealed record WebPlan(string? Token, bool ProtectMetrics)
{
    public static WebPlan Open { get; } = new(null, false);
}
