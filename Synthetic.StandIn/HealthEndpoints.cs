using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;

namespace Synthetic.StandIn;

/// <summary>Every health shape the self-host server (and its Helm chart, and the cloud) is known to serve.</summary>
internal static class HealthEndpoints
{
    public const string Version = "1.0.0-standin";
    public const string UnhealthyReason = "No ASR workers available";
    public const string LicenseProxyDownReason = "License proxy unreachable";

    private const string ApiServer = "api_server";
    private const string LightningAsr = "lightning_asr";
    private const string LicenseProxy = "license_proxy";
    private const string Redis = "redis";

    public static void Map(IEndpointRouteBuilder app, StandInState state)
    {
        app.MapGet("/health", (HttpContext context) =>
            string.Equals(context.Request.Query["detailed"], "true", StringComparison.OrdinalIgnoreCase)
                ? Detailed(state)
                : Component(state, component: null));
        app.MapGet("/health/asr", () => Component(state, LightningAsr));
        app.MapGet("/health/license", () => Component(state, LicenseProxy));
        app.MapGet("/health/redis", () => Component(state, Redis));
        app.MapGet("/api/v1/health", () => Shape(state, () => JsonResults.Json(200, new JsonObject { ["status"] = "ok" })));
        app.MapGet("/healthz", () => Shape(state, () => JsonResults.Json(200, JsonValue.Create(true))));
        app.MapGet("/waves/v1/health", () => Shape(state, () => JsonResults.Json(200, new JsonObject
        {
            ["status"] = "ok",
            ["mongo"] = new JsonObject { ["status"] = "connected" },
        })));
    }

    /// <summary><c>/health</c> (component null) and <c>/health/&lt;component&gt;</c>.</summary>
    private static IResult Component(StandInState state, string? component)
    {
        if (component == LicenseProxy && state.Mode.Name == ModeNames.ComponentDown)
        {
            return JsonResults.Json(503, new JsonObject { ["status"] = "unhealthy", ["reason"] = LicenseProxyDownReason });
        }

        return Shape(state, () => JsonResults.Json(200, new JsonObject { ["status"] = "healthy" }));
    }

    private static IResult Detailed(StandInState state)
    {
        var mode = state.Mode.Name;
        if (mode == ModeNames.Unhealthy)
        {
            var body = DetailedBody(state, "unhealthy", LightningAsr);
            body["reason"] = UnhealthyReason;
            return JsonResults.Json(503, body);
        }

        if (mode == ModeNames.ComponentDown)
        {
            return JsonResults.Json(503, DetailedBody(state, "degraded", LicenseProxy));
        }

        return Shape(state, () => JsonResults.Json(200, DetailedBody(state, "healthy", downComponent: null)));
    }

    private static JsonObject DetailedBody(StandInState state, string status, string? downComponent)
    {
        var components = new JsonObject();
        foreach (var name in (string[])[ApiServer, LightningAsr, LicenseProxy, Redis])
        {
            components[name] = name == downComponent ? "unhealthy" : "healthy";
        }

        return new JsonObject
        {
            ["status"] = status,
            ["components"] = components,
            ["uptime_seconds"] = state.UptimeSeconds,
            ["version"] = Version,
        };
    }

    /// <summary>The health faults common to every shape; <paramref name="healthy"/> otherwise.</summary>
    private static IResult Shape(StandInState state, Func<IResult> healthy) => state.Mode.Name switch
    {
        ModeNames.Unhealthy => JsonResults.Json(503, new JsonObject { ["status"] = "unhealthy", ["reason"] = UnhealthyReason }),
        ModeNames.UnhealthyBody => JsonResults.Json(200, new JsonObject { ["status"] = "unhealthy" }),
        ModeNames.Garbage => Results.Text("<html>oops", "text/html", Encoding.UTF8, 200),
        ModeNames.Oversized => new EndlessBodyResult(state),
        _ => healthy(),
    };
}

/// <summary>
/// A 200 whose JSON body never ends, written in 64 KiB chunks as fast as the client reads them (never
/// buffered), until the client disconnects or the stand-in stops.
/// </summary>
internal sealed class EndlessBodyResult(StandInState state) : IResult
{
    private const int ChunkSize = 64 * 1024;
    private static readonly byte[] Prefix = "{\"status\":\"healthy\",\"padding\":\""u8.ToArray();
    private static readonly byte[] Chunk = Enumerable.Repeat((byte)'x', ChunkSize).ToArray();

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        httpContext.Response.StatusCode = 200;
        httpContext.Response.ContentType = "application/json";
        using var stop = state.LinkToStopping(httpContext.RequestAborted);
        var writer = httpContext.Response.BodyWriter;
        try
        {
            await writer.WriteAsync(Prefix, stop.Token);
            while (true)
            {
                var flush = await writer.WriteAsync(Chunk, stop.Token);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }

                // Once the client has gone, Kestrel completes writes at once without an error, and its abort notice
                // reaches the token through a thread-pool work item: yield to let it run. Without this, a few such
                // loops spun on every pool thread and stalled the whole process (monitor included) for seconds.
                await Task.Yield();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Handled below.
        }

        // Ending normally would terminate the chunked body cleanly; the point is that it never ends.
        httpContext.Abort();
    }
}
