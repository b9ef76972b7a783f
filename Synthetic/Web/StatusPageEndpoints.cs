using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Synthetic.Web;

/// <summary>GET / serves the status page; it refreshes itself from /status.</summary>
internal static class StatusPageEndpoints
{
    public const string LoginPath = "/login";

    /// <summary>A token is well under this; a bigger sign-in form is not read.</summary>
    private const int MaxFormBytes = 4096;

    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (HttpContext context) => WriteAsync(context, StatusPage.Status, StatusCodes.Status200OK));
        return endpoints;
    }

    /// <summary>
    /// The sign-in form's POST: a right token sets the session cookie (HttpOnly, SameSite=Strict, Secure over
    /// https) and goes back to the page; a wrong one gets the form again with a 401 and no detail.
    /// </summary>
    internal static async Task SignInAsync(HttpContext context, WebAccess access)
    {
        string? token = null;
        if (context.Request.HasFormContentType && context.Request.ContentLength is null or <= MaxFormBytes)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            token = form["token"].ToString();
        }

        if (!access.IsToken(token))
        {
            await WriteAsync(context, StatusPage.Login, StatusCodes.Status401Unauthorized);
            return;
        }

        context.Response.Cookies.Append(WebAccess.CookieName, access.CookieValue, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            IsEssential = true,
        });
        context.Response.Headers.CacheControl = "no-store";
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = "./";
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
