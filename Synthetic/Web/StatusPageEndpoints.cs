using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Synthetic.Web;

/// <summary>GET / serves the status page; it refreshes itself from /status.</summary>
internal static class StatusPageEndpoints
{
    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (HttpContext context) => WriteAsync(context, StatusPage.Status, StatusCodes.Status200OK));
        return endpoints;
    }

    /// <summary>Writes one of the embedded pages with headers that keep it from being cached, framed or sniffed.</summary>
    internal static Task WriteAsync(HttpContext context, StatusPage page, int statusCode)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = page.Html.Length;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = page.ContentSecurityPolicy;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return response.Body.WriteAsync(page.Html, context.RequestAborted).AsTask();
    }
}
