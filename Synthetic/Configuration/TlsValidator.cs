using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Synthetic.Configuration;

/// <summary>Validates a target's <c>Tls</c> section and reads its CA file; every problem names its key.</summary>
internal static class TlsValidator
{
    public static TlsPlan Validate(string p, TlsOptions options, string baseUrl, List<string> errors)
    {
        var set = options.CaFile is not null || options.ServerName is not null || options.InsecureSkipVerify;
        if (!set)
        {
            return TlsPlan.Default;
        }

        var before = errors.Count;
        if (Uri.TryCreate(baseUrl, UriKind.Absolute, out var url) && url.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add($"{p}: applies to https:// targets only (BaseUrl is {url.Scheme}://).");
        }

        if (options.ServerName is { } serverName && Uri.CheckHostName(serverName) is UriHostNameType.Unknown or UriHostNameType.Basic)
        {
            errors.Add($"{p}:ServerName: '{serverName}' is not a host name or IP address.");
        }

        X509Certificate2Collection? ca = null;
        if (options.CaFile is not null && options.InsecureSkipVerify)
        {
            errors.Add($"{p}:InsecureSkipVerify: true makes CaFile pointless; set one of them.");
        }
        else if (options.CaFile is { } file)
        {
            ca = ReadCa($"{p}:CaFile", file, errors);
        }

        return errors.Count > before ? TlsPlan.Default : new TlsPlan(ca, options.ServerName, options.InsecureSkipVerify);
    }

    private static X509Certificate2Collection? ReadCa(string key, string file, List<string> errors)
    {
        if (!File.Exists(file))
        {
            errors.Add($"{key}: cannot read '{file}' (no such file).");
            return null;
        }

        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(file);
            if (certificates.Count == 0)
            {
                errors.Add($"{key}: '{file}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
                return null;
            }

            return certificates;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            errors.Add($"{key}: cannot read '{file}' as PEM certificates ({ex.GetType().Name}).");
            return null;
        }
    }
}
