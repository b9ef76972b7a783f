using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Synthetic.Tests.Checks.Streaming;

/// <summary>
/// A raw loopback server that speaks just enough of the smallest-stream protocol to misbehave: <c>/flood</c> sends
/// partials without end, <c>/never-close</c> sends a proper final and then never closes, <c>/huge</c> sends one 10 MB
/// message (in 64 KiB fragments, so the server itself holds only one fragment). <c>/health</c> stays healthy.
/// Every loop is bounded (count and 30 s) and stops when the client goes away.
/// </summary>
internal sealed class HostileStreamServer : IAsyncDisposable
{
    public const int HugeMessageBytes = 10 * 1024 * 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly byte[] Partial = Encoding.UTF8.GetBytes("""{"type":"transcription","transcript":"flood","is_final":false,"is_last":false}""");
    private static readonly byte[] Final = Encoding.UTF8.GetBytes(
        """{"type":"transcription","transcript":"The quick brown fox jumps over the lazy dog.","is_final":true,"is_last":true}""");

    private readonly WebApplication _app;

    private HostileStreamServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public static async Task<HostileStreamServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/health", () => Microsoft.AspNetCore.Http.Results.Json(new { status = "healthy" }));
        app.MapGet("/flood", context => AcceptAsync(context, FloodAsync));
        app.MapGet("/never-close", context => AcceptAsync(context, NeverCloseAsync));
        app.MapGet("/huge", context => AcceptAsync(context, HugeAsync));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HostileStreamServer(app, new Uri(address + "/"));
    }

    private static async Task AcceptAsync(HttpContext context, Func<WebSocket, CancellationToken, Task> behave)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        bound.CancelAfter(Bound);
        try
        {
            await behave(socket, bound.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The monitor gave up on us: that is the point.
        }
    }

    private static async Task FloodAsync(WebSocket socket, CancellationToken token)
    {
        _ = DrainAsync(socket, token);
        for (var i = 0; i < 10_000_000 && !token.IsCancellationRequested; i++)
        {
            await socket.SendAsync(Partial, WebSocketMessageType.Text, true, token);
        }
    }

    private static async Task NeverCloseAsync(WebSocket socket, CancellationToken token)
    {
        var buffer = new byte[64 * 1024];
        var partialSent = false;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, token);
            if (!partialSent && result.MessageType == WebSocketMessageType.Binary)
            {
                await socket.SendAsync(Partial, WebSocketMessageType.Text, true, token);
                partialSent = true;
            }
            else if (result.MessageType == WebSocketMessageType.Text && Encoding.UTF8.GetString(buffer, 0, result.Count).Contains("close_stream", StringComparison.Ordinal))
            {
                break;
            }
        }

        await socket.SendAsync(Final, WebSocketMessageType.Text, true, token);
        // Never answer the client's close; just sit there until it gives up.
        await Task.Delay(Timeout.Infinite, token);
    }

    private static async Task HugeAsync(WebSocket socket, CancellationToken token)
    {
        _ = DrainAsync(socket, token);
        var fragment = new byte[64 * 1024];
        fragment.AsSpan().Fill((byte)'a');
        for (var sent = 0; sent < HugeMessageBytes; sent += fragment.Length)
        {
            await socket.SendAsync(fragment, WebSocketMessageType.Text, sent + fragment.Length >= HugeMessageBytes, token);
        }

        await Task.Delay(Timeout.Infinite, token);
    }

    private static async Task DrainAsync(WebSocket socket, CancellationToken token)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (!token.IsCancellationRequested && (await socket.ReceiveAsync(buffer, token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
