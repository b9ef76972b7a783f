using System.Security.Cryptography.X509Certificates;

namespace Synthetic.Configuration;

/// <summary>A target's <c>Tls</c> section: how its https certificate is verified.</summary>
public sealed class TlsOptions
{
    /// <summary>PEM file of the CA certificate(s) to trust for this target instead of the system's roots.</summary>
    public string? CaFile { get; set; }

    /// <summary>The name the certificate must carry; default the BaseUrl's host (set it when probing by IP address).</summary>
    public string? ServerName { get; set; }

    /// <summary>Accept any certificate (still recorded, flagged in /status and on the status page). An explicit opt-in.</summary>
    public bool InsecureSkipVerify { get; set; }
}

/// <summary>The resolved verification of a target's certificate: CAs read from CaFile, the name to check, the opt-out.</summary>
internal sealed record TlsPlan(X509Certificate2Collection? Ca, string? ServerName, bool InsecureSkipVerify)
{
    public static TlsPlan Default { get; } = new(null, null, false);
}
