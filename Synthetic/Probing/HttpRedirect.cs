using Synthetic.Results;

namespace Synthetic.Probing;

/// <summary>Probes never follow redirects: an endpoint that redirects has moved or is misconfigured, and that is the finding.</summary>
internal static class HttpRedirect
{
    /// <summary>The detail of an unexpected redirect, or null when the answer is not one.</summary>
    public static string? Describe(HttpExchange exchange)
    {
        if (Reasons.ForStatus(exchange.StatusCode) != Reasons.Http3xx)
        {
            return null;
        }

        var location = exchange.Headers.Location is { } target
            ? target.IsAbsoluteUri ? target.GetLeftPart(UriPartial.Path) : target.OriginalString.Split('?')[0]
            : "(no Location)";
        return $"{exchange.StatusCode}: redirect to {TextSnippet.Of(location, 120)} (not followed)";
    }
}
