using System.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Synthetic.Cli;
using Synthetic.Hosting;
using Synthetic.Scheduling;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Hosting;

/// <summary>The monitor process collects its start-up garbage once, after scheduling its checks and before they run.</summary>
public sealed class StartupCollectionTests
{
    [Fact]
    public async Task StartAsync_Called_RunsAFullBlockingCompactingCollectionOfTheLargeObjectHeapToo()
    {
        var before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;

        await new StartupCollection().StartAsync(CancellationToken.None);

        var last = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        Assert.True(last.Index > before, $"no full blocking collection since #{before}");
        Assert.True(last.Compacted);
        Assert.Equal(GC.MaxGeneration, last.Generation);
        // CompactOnce reverts to Default once a full blocking collection has compacted the large-object heap.
        Assert.Equal(GCLargeObjectHeapCompactionMode.Default, GCSettings.LargeObjectHeapCompactionMode);
    }

    [Fact]
    public async Task RunCommandsMonitor_Built_CollectsAfterSchedulingAndBeforeQuartzStarts()
    {
        var (app, errors) = SyntheticApp.CreateMonitor([], TestMonitor.FastConfig(new Uri("http://127.0.0.1:9/")),
            configure: RunCommand.AddProcessMemoryServices);
        Assert.True(app is not null, string.Join("; ", errors));
        await using var built = app;

        var hosted = built.Services.GetServices<IHostedService>().ToList();

        var order = string.Join(", ", hosted.Select(s => s.GetType().Name));
        var scheduler = hosted.FindIndex(s => s is CheckScheduler);
        var quartz = hosted.FindIndex(s => s.GetType().Name == "QuartzHostedService");
        var collection = hosted.FindIndex(s => s is StartupCollection);
        Assert.True(scheduler >= 0 && quartz >= 0, order);
        Assert.True(collection > scheduler && collection > quartz, order);
        // The drain of the runs the gate started stops after Quartz (the reverse order of starting).
        Assert.InRange(hosted.FindIndex(s => s is RunDrain), 0, quartz - 1);
        // Only the web server starts after it (it listens once every hosted service has started).
        Assert.All(hosted.Skip(collection + 1), s => Assert.Equal("GenericWebHostService", s.GetType().Name));
        // Quartz starts its scheduler only once the application has started, after every hosted service.
        var options = built.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Quartz.QuartzHostedServiceOptions>>().Value;
        Assert.True(options.AwaitApplicationStarted);
    }
}
