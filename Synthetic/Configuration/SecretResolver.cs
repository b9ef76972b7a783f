namespace Synthetic.Configuration;

/// <summary>Reads a target's license key from <c>LicenseKey</c> or <c>LicenseKeyFile</c>, in its own step; the key is never put in a message.</summary>
internal static class SecretResolver
{
    public static string? LicenseKey(string p, TargetOptions target, List<string> errors) =>
        Resolve($"{p}:LicenseKey", target.LicenseKey, $"{p}:LicenseKeyFile", target.LicenseKeyFile, errors);

    /// <summary>The secret given inline or in a file (trimmed); null when neither is set or on error.</summary>
    public static string? Resolve(string inlineKey, string? inline, string fileKey, string? file, List<string> errors)
    {
        var hasInline = !string.IsNullOrEmpty(inline);
        var hasFile = !string.IsNullOrEmpty(file);
        if (hasInline && hasFile)
        {
            errors.Add($"{fileKey}: set either {inlineKey[(inlineKey.LastIndexOf(':') + 1)..]} or {fileKey[(fileKey.LastIndexOf(':') + 1)..]}, not both.");
            return null;
        }

        if (hasInline)
        {
            return inline!.Trim();
        }

        if (!hasFile)
        {
            return null;
        }

        try
        {
            var secret = File.ReadAllText(file!).Trim();
            if (secret.Length == 0)
            {
                errors.Add($"{fileKey}: file '{file}' is empty.");
                return null;
            }

            return secret;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var why = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file",
                UnauthorizedAccessException => "permission denied",
                _ => "not a readable file",
            };
            errors.Add($"{fileKey}: cannot read '{file}' ({why}).");
            return null;
        }
    }
}
