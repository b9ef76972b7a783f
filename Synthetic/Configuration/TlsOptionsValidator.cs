using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace Synthetic.Configuration;

/// <summary>Binds and validates a target's <c>Tls</c> section, reading the CA file; every problem names its key.</summary>
internal static class TlsOptionsValidator
{
    private static readonly string[] Keys = ["CaFile", "ServerName", "InsecureSkipVerify"];

    public static TlsOptions Load(IConfigurationSection section, string baseUrl, List<string> errors)
    {
        var options = new TlsOptions();
        if (!section.Exists())
        {
            return options;
        }

        var p = section.Path;
        foreach (var child in section.GetChildren().Where(c => !Keys.Contains(c.Key, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add($"{child.Path}: unknown key (expected one of {string.Join(", ", Keys)}).");
        }

        if (Uri.TryCreate(baseUrl, UriKind.Absolute, out var url) && url.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add($"{p}: applies to https:// targets only (BaseUrl is {url.Scheme}://).");
        }

        options.CaFile = section["CaFile"] is { Length: > 0 } ca ? ca : null;
        options.ServerName = section["ServerName"] is { Length: > 0 } name ? name : null;
        if (section["InsecureSkipVerify"] is { Length: > 0 } insecure)
        {
            if (bool.TryParse(insecure, out var value))
            {
                options.InsecureSkipVerify = value;
            }
            else
            {
                errors.Add($"{p}:InsecureSkipVerify: '{insecure}' is not true or false.");
            }
        }

        if (options.ServerName is { } serverName && Uri.CheckHostName(serverName) is UriHostNameType.Unknown or UriHostNameType.Basic)
        {
            errors.Add($"{p}:ServerName: '{serverName}' is not a host name or IP address.");
        }

        if (options.CaFile is not null && options.InsecureSkipVerify)
        {
            errors.Add($"{p}:InsecureSkipVerify: true makes CaFile pointless; set one of them.");
        }
        else if (options.CaFile is { } file)
        {
            options.ResolvedCa = ReadCa($"{p}:CaFile", file, errors);
        }

        return options;
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
