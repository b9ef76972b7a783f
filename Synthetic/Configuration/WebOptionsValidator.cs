using Microsoft.Extensions.Configuration;

namespace Synthetic.Configuration;

/// <summary>Binds and validates <c>Synthetic:Web</c>, reading the token file; every problem names its key.</summary>
internal static class WebOptionsValidator
{
    /// <summary>Shorter tokens are guessable; 16 characters is the floor, 32 random ones are recommended.</summary>
    public const int MinimumTokenLength = 16;

    private static readonly string[] Keys = ["BearerToken", "BearerTokenFile", "ProtectMetrics"];

    public static WebOptions Load(IConfigurationSection section, List<string> errors)
    {
        var options = new WebOptions();
        var p = section.Path;
        foreach (var child in section.GetChildren().Where(c => !Keys.Contains(c.Key, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add($"{child.Path}: unknown key (expected one of {string.Join(", ", Keys)}).");
        }

        options.BearerToken = NullIfEmpty(section["BearerToken"]);
        options.BearerTokenFile = NullIfEmpty(section["BearerTokenFile"]);
        if (section["ProtectMetrics"] is { Length: > 0 } protect)
        {
            if (bool.TryParse(protect, out var value))
            {
                options.ProtectMetrics = value;
            }
            else
            {
                errors.Add($"{p}:ProtectMetrics: '{protect}' is not true or false.");
            }
        }

        if (options.BearerToken is not null && options.BearerTokenFile is not null)
        {
            errors.Add($"{p}:BearerTokenFile: set either BearerToken or BearerTokenFile, not both.");
            return options;
        }

        var token = options.BearerToken?.Trim() ?? ReadFile($"{p}:BearerTokenFile", options.BearerTokenFile, errors);
        var key = options.BearerToken is not null ? $"{p}:BearerToken" : $"{p}:BearerTokenFile";
        if (token is not null)
        {
            // The token itself never appears in a message: only what is wrong with it.
            if (token.Length < MinimumTokenLength)
            {
                errors.Add($"{key}: the token is shorter than {MinimumTokenLength} characters (use e.g. `openssl rand -hex 32`).");
            }
            else if (!token.All(c => c is > ' ' and <= '~'))
            {
                errors.Add($"{key}: the token must be printable ASCII without spaces (it travels in an Authorization header).");
            }
            else
            {
                options.ResolvedToken = token;
            }
        }

        if (options.ProtectMetrics && token is null && !errors.Any(e => e.StartsWith(p + ":BearerToken", StringComparison.Ordinal)))
        {
            errors.Add($"{p}:ProtectMetrics: true needs BearerToken or BearerTokenFile.");
        }

        return options;
    }

    private static string? ReadFile(string key, string? file, List<string> errors)
    {
        if (file is null)
        {
            return null;
        }

        try
        {
            var token = File.ReadAllText(file).Trim();
            if (token.Length == 0)
            {
                errors.Add($"{key}: file '{file}' is empty.");
                return null;
            }

            return token;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var why = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file",
                UnauthorizedAccessException => "permission denied",
                _ => "not a readable file",
            };
            errors.Add($"{key}: cannot read '{file}' ({why}).");
            return null;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
