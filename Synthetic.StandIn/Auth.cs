using System.Security.Cryptography;
using System.Text;

namespace Synthetic.StandIn;

internal static class AuthSchemes
{
    public const string Token = "Token";
    public const string Bearer = "Bearer";
    public const string Other = "other";
    public const string None = "none";
}

/// <summary>The parts of an Authorization header. Only <see cref="Scheme"/> may be logged or exported.</summary>
internal readonly record struct AuthHeader(string Scheme, string? Credential)
{
    public static AuthHeader Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return new AuthHeader(AuthSchemes.None, null);
        }

        var trimmed = header.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            // A bare value is most likely a key sent without a scheme: never keep it as the scheme.
            return new AuthHeader(AuthSchemes.Other, trimmed);
        }

        var scheme = trimmed[..space];
        var credential = trimmed[(space + 1)..].Trim();
        if (scheme.Equals(AuthSchemes.Token, StringComparison.OrdinalIgnoreCase))
        {
            return new AuthHeader(AuthSchemes.Token, credential);
        }

        return scheme.Equals(AuthSchemes.Bearer, StringComparison.OrdinalIgnoreCase)
            ? new AuthHeader(AuthSchemes.Bearer, credential)
            : new AuthHeader(AuthSchemes.Other, credential);
    }

    /// <summary>Whether the header carries <paramref name="expectedKey"/> in one of the accepted schemes.</summary>
    public bool Carries(byte[] expectedKey, IReadOnlyCollection<string> acceptedSchemes)
    {
        if (Credential is null || !acceptedSchemes.Contains(Scheme))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Credential), expectedKey);
    }
}
