using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cli;

/// <summary>The shipped process's runtime settings, as its own runtime read them (not as a file says they are).</summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task Binary_ShippedRuntimeConfig_GcGen0BudgetCappedAt4MiB()
    {
        // The runtimeconfig.json knob System.GC.Gen0MaxBudget is read by the runtime; System.GC.Gen0Size is not (issue 15).
        var port = FreePort.Next();
        await using var monitor = ProcessHost.Start("dotnet",
            [SyntheticBinary.Path, $"--Synthetic:Listen=http://127.0.0.1:{port}", $"--Synthetic:Targets:0:BaseUrl=http://127.0.0.1:{FreePort.Next()}"],
            RepoPaths.Root);

        await monitor.WaitReadyAsync(new Uri($"http://127.0.0.1:{port}/healthz"), TimeSpan.FromSeconds(60));

        // The start line follows the host's start; its output arrives asynchronously (bounded wait, not a timing assertion).
        string? started = null;
        for (var i = 0; i < 150 && started is null; i++)
        {
            started = monitor.Output.Split('\n').FirstOrDefault(l => l.StartsWith("Synthetic ", StringComparison.Ordinal));
            if (started is null)
            {
                await Task.Delay(200);
            }
        }

        Assert.True(started is not null, "no start line:\n" + monitor.Output);
        Assert.Contains("GC workstation, gen0 budget <= 4096 KiB, conserve memory 7, regions of 1024 KiB", started, StringComparison.Ordinal);
    }

    [Fact]
    public void GcSummary_ThisTestHost_NamesTheBudgetTheRuntimeUses()
    {
        // The test host has no cap of its own: whatever the runtime chose, the line names it in KiB.
        var summary = Synthetic.Cli.RunCommand.GcSummary();

        Assert.Matches(@"^GC (workstation|server), gen0 budget (<= \d+ KiB|from the cache size)(, conserve memory \d+)?(, regions of \d+ KiB)?$", summary);
    }
}
