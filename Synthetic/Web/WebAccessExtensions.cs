using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Synthetic.Configuration;

namespace Synthetic.Web;

internal static class WebAccessExtensions
{
    /// <summary>When <c>Synthetic:Web</c> has a token: the token check in front of every endpoint, and the sign-in form's POST.</summary>
    public static WebApplication UseWebAccess(this WebApplication app, WebPlan plan)
    {
        if (plan.Token is not { } token)
        {
            return app;
        }

        var access = new WebAccess(token, plan.ProtectMetrics);
        app.Use((context, next) =>
            !access.Requires(context.Request.Path) || access.IsAuthorized(context.Request) ? next(context) : WebAccess.DenyAsync(context));
        app.MapPost(StatusPageEndpoints.LoginPath, (HttpContext context) => StatusPageEndpoints.SignInAsync(context, access)).DisableAntiforgery();
        return app;
    }
}
