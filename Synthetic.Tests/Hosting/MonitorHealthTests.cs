using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using Synthetic.Hosting;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Hosting;

/// <summary>/healthz is the monitor's own health: it fails when the scheduler stops running checks.</summary>
public sealed class MonitorHealthTests
{
    [Fact]
    public async Task Evaluate_SchedulerNotStartedYet_UnhealthyAndSaysSo()
    {
        // Kestrel serves a moment before Quartz starts the scheduler: "200" must keep meaning "the checks are firing".
        var (app, errors) = SyntheticApp.CreateMonitor([], TestMonitor.FastConfig(new Uri("http://127.0.0.1:1")),
            configure: builder => builder.Logging.ClearProviders());
        Assert.True(app is not null, string.Join("; ", errors));
        await using (app)
        {
            var (healthy, status, detail) = await app.Services.GetRequiredService<MonitorHealth>().EvaluateAsync(CancellationToken.None);

            Assert.False(healthy);
            Assert.Equal("unhealthy", status);
            Assert.Equal("scheduler not started yet", detail);
        }
    }

    [Fact]
    public async Task Healthz_SchedulerPutInStandby_Returns503()
    {
        await using var standIn = await StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });
        await using var monitor = await TestMonitor.StartAsync(TestMonitor.FastConfig(standIn.BaseUrl));
        await monitor.WaitForResultAsync("standin", "health", _ => true, TimeSpan.FromSeconds(15), "a first run");
        Assert.Equal(HttpStatusCode.OK, (await monitor.Http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);

        var scheduler = await monitor.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Standby();

        var response = await monitor.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unhealthy", body.RootElement.GetProperty("status").GetString());
        Assert.Contains("scheduler", body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
