using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using Synthetic.Hosting;
using Synthetic.Scheduling;
using Synthetic.Results;

namespace Synthetic.Tests.Scheduling;

/// <summary>The checks' triggers as Quartz holds them once the monitor runs.</summary>
public sealed class CheckSchedulerTests
{
    [Fact]
    public async Task Start_SlowHostStart_FirstRunsStillSpreadEvenlyFromWhenTheSchedulerStarts()
    {
        const int targets = 40;
        var config = new Dictionary<string, string?>
        {
            ["Synthetic:Listen"] = "http://127.0.0.1:0",
            ["Synthetic:SpreadStart"] = "true",
        };
        for (var i = 0; i < targets; i++)
        {
            config[$"Synthetic:Targets:{i}:Name"] = $"t{i:D2}";
            config[$"Synthetic:Targets:{i}:BaseUrl"] = "http://127.0.0.1:9";
            config[$"Synthetic:Targets:{i}:Health:Interval"] = "4s";
            config[$"Synthetic:Targets:{i}:Health:Timeout"] = "1s";
            config[$"Synthetic:Targets:{i}:Health:Detailed"] = "false";
            config[$"Synthetic:Targets:{i}:Health:Components"] = string.Empty;
            config[$"Synthetic:Targets:{i}:Canary:Enabled"] = "false";
        }

        var (app, errors) = SyntheticApp.CreateMonitor([], config, configure: builder => builder.Logging.ClearProviders());
        Assert.True(app is not null, string.Join("; ", errors));
        await using (app)
        {
            // A host that takes a while between configuration and start (2,000 checks take seconds): the spread must
            // still begin when the scheduler does, not when the services were registered.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var startedAt = DateTimeOffset.UtcNow;
            await app.StartAsync();

            var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            var triggers = new List<ITrigger>();
            foreach (var key in await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(CheckJob.Group)))
            {
                triggers.Add((await scheduler.GetTrigger(key))!);
            }

            await app.StopAsync();

            Assert.Equal(targets, triggers.Count);
            var starts = triggers.Select(t => t.StartTimeUtc).Order().ToList();
            Assert.True(starts[0] >= startedAt, $"the first run starts at {starts[0]:O}, before the host started at {startedAt:O}");
            var gaps = starts.Zip(starts.Skip(1), (a, b) => b - a).ToList();
            Assert.All(gaps, gap => Assert.Equal(TimeSpan.FromMilliseconds(100), gap));
            // Whole milliseconds, as the scheduler's clock steps (SchedulerClock): one sleep per fire time.
            Assert.All(starts, start => Assert.Equal(0, start.UtcTicks % TimeSpan.TicksPerMillisecond));
        }
    }
}
