using System.Globalization;
using System.Text.Json.Nodes;

namespace Synthetic.StandIn.Streaming;

/// <summary>
/// The four streaming dialects over WebSocket. Order of checks at the upgrade: the mode's refusal
/// (<c>stream-broken</c>: 502, as a proxy whose streaming backend is gone), auth, the query; then the session.
/// </summary>
internal static class StreamingEndpoints
{
    public const int DefaultSampleRate = 16_000;

    public static void Map(IEndpointRouteBuilder app, StandInState state, StreamingSetup setup)
    {
        app.MapGet("/v1/listen/stream", context => AcceptAsync(context, state, setup, SmallestStreamProtocol.SelfHost));
        app.MapGet("/waves/v1/stt/live", context => AcceptAsync(context, state, setup, SmallestStreamProtocol.Pulse));
        app.MapGet("/waves/v1/pulse/get_text", context => AcceptAsync(context, state, setup, SmallestStreamProtocol.Pulse));
        // The same path serves the batch POST (TranscriptionEndpoints); only GET upgrades.
        app.MapGet("/v1/listen", context => AcceptAsync(context, state, setup, DeepgramProtocol.Instance));
        app.MapGet("/v1/realtime", context => AcceptAsync(context, state, setup, OpenAiRealtimeProtocol.Instance));
    }

    private static async Task AcceptAsync(HttpContext context, StandInState state, StreamingSetup setup, StreamProtocol protocol)
    {
        var auth = AuthHeader.Parse(context.Request.Headers.Authorization);
        setup.Stats.Session(protocol.Name, auth.Scheme);
        var mode = state.Mode;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Refuse(context, 400, protocol.Error("expected a WebSocket upgrade"));
            return;
        }

        if (mode.Name == ModeNames.StreamBroken)
        {
            // What a proxy answers when the streaming backend (ASR_STREAMING_BASE_URL) is down.
            await Results.Text("502 Bad Gateway: streaming backend unavailable", "text/plain", statusCode: 502).ExecuteAsync(context);
            return;
        }

        if (mode.Name == ModeNames.StreamAuth || (state.LicenseKey is { } key && !auth.Carries(key, protocol.AuthSchemes)))
        {
            state.Stats.RecordWrongKey();
            await Refuse(context, 401, protocol.Error("Unauthorized: invalid or missing key"));
            return;
        }

        if (protocol.CheckQuery(context.Request.Query) is { } problem)
        {
            await Refuse(context, 400, protocol.Error(problem));
            return;
        }

        var rate = DefaultSampleRate;
        if (context.Request.Query["sample_rate"].ToString() is { Length: > 0 } declared)
        {
            if (!int.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out rate) || rate is < 8000 or > 192_000)
            {
                await Refuse(context, 400, protocol.Error($"sample_rate '{declared}' is not supported"));
                return;
            }
        }

        setup.Stats.SampleRate(rate);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        setup.Stats.Accepted();
        using var aborted = state.LinkToStopping(context.RequestAborted);
        using var session = new StreamSession(socket, protocol, setup, state, mode, rate, "sess_" + state.NextRequestId());
        await session.RunAsync(aborted.Token);
    }

    private static Task Refuse(HttpContext context, int status, JsonObject body) => JsonResults.Json(status, body).ExecuteAsync(context);
}
