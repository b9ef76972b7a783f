using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Synthetic.Tests.Support;

/// <summary>An Alertmanager webhook receiver on loopback: the test itself receives the notifications.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Notification> _notifications = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyCollection<Notification> Notifications => _notifications;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/alerts", async (HttpRequest request) =>
        {
            using var document = await JsonDocument.ParseAsync(request.Body);
            foreach (var alert in document.RootElement.GetProperty("alerts").EnumerateArray())
            {
                var labels = alert.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty);
                receiver._notifications.Enqueue(new Notification(receiver._clock.Elapsed, alert.GetProperty("status").GetString()!, labels,
                    alert.GetProperty("annotations").GetRawText()));
            }

            return TypedResults.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address + "/alerts");
        return receiver;
    }

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Waits for a notification of the alert with the given status after <paramref name="since"/>.</summary>
    public async Task<Notification> WaitForAsync(string alertName, string status, TimeSpan since, TimeSpan timeout, Func<string> context)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var match = _notifications.FirstOrDefault(n => n.At >= since && n.Status == status && n.Labels.GetValueOrDefault("alertname") == alertName);
            if (match is not null)
            {
                return match;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"no '{status}' notification for {alertName} within {timeout}. Received: " +
                    string.Join("; ", _notifications.Select(n => $"{n.At.TotalSeconds:F0}s {n.Labels.GetValueOrDefault("alertname")} {n.Status}")) +
                    "\n" + context());
        return null!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record Notification(TimeSpan At, string Status, IReadOnlyDictionary<string, string> Labels, string Annotations);
