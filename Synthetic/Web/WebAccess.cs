using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Synthetic.Web;

/// <summary>
/// The bearer-token check of the status page, /status and (optionally) /metrics. A request passes with
/// <c>Authorization: Bearer &lt;token&gt;</c> (curl, Prometheus) or with the session cookie the sign-in form sets
/// (a browser cannot add a header to a navigation). Both are compared in constant time over SHA-256 digests, so
/// neither the content nor the length of the token leaks through timing.
/// </summary>
internal sealed class WebAccess
{
    public const string CookieName = "synthetic_session";

    private static readonly byte[] CookieLabel = "synthetic status page session v1"u8.ToArray();

    private readonly byte[] _tokenDigest;
    private readonly byte[] _cookieDigest;

    public WebAccess(string token, bool protectMetrics)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var tokenBytes = Encoding.UTF8.GetBytes(token);
        _tokenDigest = SHA256.HashData(tokenBytes);
        // The cookie carries a value derived from the token, not the token: a copied cookie opens the page
        // but does not reveal a token that may also be Prometheus' scrape credential.
        CookieValue = Convert.ToHexStringLower(HMACSHA256.HashData(tokenBytes, CookieLabel));
        _cookieDigest = SHA256.HashData(Encoding.ASCII.GetBytes(CookieValue));
        ProtectMetrics = protectMetrics;
    }

    public bool ProtectMetrics { get; }

    /// <summary>The session cookie's value for this token.</summary>
    public string CookieValue { get; }

    /// <summary>Deny by default: everything but the monitor's own liveness (/healthz), the sign-in form and, unless protected, /metrics.</summary>
    public bool Requires(PathString path)
    {
        var value = (path.Value ?? string.Empty).TrimEnd('/');
        return !(value.Equals("/healthz", StringComparison.OrdinalIgnoreCase) ||
                 value.Equals(StatusPageEndpoints.LoginPath, StringComparison.OrdinalIgnoreCase) ||
                 (!ProtectMetrics && value.Equals("/metrics", StringComparison.OrdinalIgnoreCase)));
    }

    public bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return IsToken(header["Bearer ".Length..].Trim());
        }

        return request.Cookies.TryGetValue(CookieName, out var cookie) && Matches(cookie, _cookieDigest);
    }

    public bool IsToken(string? candidate) => Matches(candidate, _tokenDigest);

    private static bool Matches(string? candidate, byte[] expectedDigest)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(candidate ?? string.Empty));
        return CryptographicOperations.FixedTimeEquals(digest, expectedDigest);
    }

    /// <summary>401 with no detail; the status page's address gets the sign-in form instead of an empty body.</summary>
    public static Task DenyAsync(HttpContext context)
    {
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        var path = context.Request.Path.Value ?? "/";
        var isPage = path is "" or "/" && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method));
        if (isPage)
        {
            return StatusPageEndpoints.WriteAsync(context, StatusPage.Login, StatusCodes.Status401Unauthorized);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.CacheControl = "no-store";
        return Task.CompletedTask;
    }
}
