namespace Synthetic.Configuration;

/// <summary>Validates <c>Synthetic:Web</c> and reads the token file; every problem names its key, never the token.</summary>
internal static class WebValidator
{
    /// <summary>Shorter tokens are guessable; 16 characters is the floor, 32 random ones are recommended.</summary>
    public const int MinimumTokenLength = 16;

    public static WebPlan Validate(string p, WebOptions options, List<string> errors)
    {
        var before = errors.Count;
        var token = SecretResolver.Resolve($"{p}:BearerToken", options.BearerToken, $"{p}:BearerTokenFile", options.BearerTokenFile, errors);
        var key = string.IsNullOrEmpty(options.BearerTokenFile) ? $"{p}:BearerToken" : $"{p}:BearerTokenFile";
        if (token is not null && token.Length < MinimumTokenLength)
        {
            errors.Add($"{key}: the token is shorter than {MinimumTokenLength} characters (use e.g. `openssl rand -hex 32`).");
        }
        else if (token is not null && !token.All(c => c is > ' ' and <= '~'))
        {
            errors.Add($"{key}: the token must be printable ASCII without spaces (it travels in an Authorization header).");
        }

        if (options.ProtectMetrics && token is null && errors.Count == before)
        {
            errors.Add($"{p}:ProtectMetrics: true needs BearerToken or BearerTokenFile.");
        }

        return errors.Count > before ? WebPlan.Open : new WebPlan(token, options.ProtectMetrics);
    }
}
