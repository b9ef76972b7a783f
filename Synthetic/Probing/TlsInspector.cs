using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Synthetic.Configuration;
using Synthetic.Results;

namespace Synthetic.Probing;

/// <summary>
/// The certificate check of one probe's connections: records the chain the server presented and says, in words,
/// why verification failed (expired, not yet valid, untrusted root, name mismatch). A custom CA is trusted through
/// the chain policy (<see cref="X509ChainTrustMode.CustomRootTrust"/>); <c>InsecureSkipVerify</c> accepts anything
/// but still records what was wrong.
/// </summary>
internal sealed class TlsInspector(TlsPlan options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private TlsDetails? _last;
    private string? _failure;

    /// <summary>What the last handshake presented; kept across runs that reuse the connection.</summary>
    public TlsDetails? Last
    {
        get { lock (_gate) { return _last; } }
    }

    /// <summary>Why the last handshake was refused; null when it was not (or no handshake happened since <see cref="Reset"/>).</summary>
    public string? Failure
    {
        get { lock (_gate) { return _failure; } }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _failure = null;
        }
    }

    public SslClientAuthenticationOptions SslOptions()
    {
        var ssl = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate };
        if (options.Ca is { Count: > 0 } ca)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(ca);
            ssl.CertificateChainPolicy = policy;
        }

        return ssl;
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return Record(null, "the server presented no certificate");
        }

        var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        // The server's own chain: the leaf and the certificates it sent along (SslStream puts those in ExtraStore).
        List<X509Certificate2> presented = [leaf, .. chain?.ChainPolicy.ExtraStore.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)) ?? []];
        var host = options.ServerName ?? (sender as SslStream)?.TargetHostName ?? string.Empty;
        if (options.ServerName is { } serverName)
        {
            errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
            if (!leaf.MatchesHostname(serverName))
            {
                errors |= SslPolicyErrors.RemoteCertificateNameMismatch;
            }
        }

        var problem = errors == SslPolicyErrors.None ? null : Describe(errors, leaf, presented, chain, host);
        var details = new TlsDetails(presented.Min(c => new DateTimeOffset(c.NotAfter.ToUniversalTime(), TimeSpan.Zero)),
            new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero), leaf.Subject, leaf.Issuer, presented.Count, problem,
            options.InsecureSkipVerify);
        return Record(details, problem);
    }

    private bool Record(TlsDetails? details, string? problem)
    {
        var accepted = problem is null || options.InsecureSkipVerify;
        lock (_gate)
        {
            _last = details ?? _last;
            _failure = accepted ? null : problem;
        }

        return accepted;
    }

    private string Describe(SslPolicyErrors errors, X509Certificate2 leaf, List<X509Certificate2> presented, X509Chain? chain, string host)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var now = time.GetUtcNow().UtcDateTime;
            var flags = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status) ?? X509ChainStatusFlags.NoError;
            if (presented.FirstOrDefault(c => c.NotAfter.ToUniversalTime() < now) is { } expired)
            {
                return $"certificate expired: {Name(expired)} expired on {Date(expired.NotAfter)}";
            }

            if (presented.FirstOrDefault(c => c.NotBefore.ToUniversalTime() > now) is { } early)
            {
                return $"certificate not yet valid: {Name(early)} is valid from {Date(early.NotBefore)}";
            }

            if (flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain))
            {
                return leaf.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData)
                    ? $"untrusted root: {Name(leaf)} is self-signed (trust it with Tls:CaFile)"
                    : $"untrusted root: issuer {leaf.Issuer} is not a trusted CA (trust it with Tls:CaFile)";
            }

            if (flags != X509ChainStatusFlags.NoError)
            {
                return "certificate chain: " + flags.ToString();
            }
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"name mismatch: the certificate is for {Names(leaf)}, not {host}";
        }

        return errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) ? "the server presented no certificate" : "certificate: " + errors;
    }

    private static string Name(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } name
        ? $"'{name}'"
        : certificate.Subject;

    private static string Names(X509Certificate2 certificate)
    {
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var names = san is null
            ? []
            : san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(a => a.ToString())).Take(5).ToList();
        return names.Count > 0 ? string.Join(", ", names) : Name(certificate);
    }

    private static string Date(DateTime value) => value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
