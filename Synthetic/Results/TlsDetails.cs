namespace Synthetic.Results;

/// <summary>
/// The certificate chain an https server presented on the last new connection: the earliest <c>notAfter</c> in it
/// (what <c>synthetic_tls_cert_expiry_timestamp_seconds</c> exports, like blackbox's
/// <c>probe_ssl_earliest_cert_expiry</c>), the leaf's names, and what verification found wrong (null: nothing).
/// </summary>
internal sealed record TlsDetails(
    DateTimeOffset EarliestNotAfter,
    DateTimeOffset LeafNotBefore,
    string Subject,
    string Issuer,
    int PresentedCertificates,
    string? Problem,
    bool InsecureSkipVerify);
