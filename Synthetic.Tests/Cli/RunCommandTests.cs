using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cli;

/// <summary>The shipped process's runtime settings, as its own runtime read them (not as a file says they are).</summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task Binary_ShippedRuntimeConfig_GcGen0BudgetCappedAt4MiBAndCHeapTrimmed()
    {
        // The runtimeconfig.json knob System.GC.Gen0MaxBudget is read by the runtime; System.GC.Gen0Size is not (issue 15).
        var port = FreePort.Next();
        await using var monitor = await StartAsync(port);

        var started = await OutputLineAsync(monitor, "Synthetic ");

        Assert.Contains("GC workstation, gen0 budget <= 4096 KiB, conserve memory 7, regions of 1024 KiB", started, StringComparison.Ordinal);
        // The process trims its C heap (NativeHeapTrim), and says so last.
        Assert.EndsWith("; C heap trimmed every 30 s", started, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_Started_RendersTheExpositionOnceAndSaysHowLarge()
    {
        // The warm-up renders what a scrape would send now: the same bytes as a scrape right after it, give or take
        // the values that moved in between (process CPU, memory, a first result). Below 1 KiB, it rendered nothing.
        var port = FreePort.Next();
        await using var monitor = await StartAsync(port);

        var line = await OutputLineAsync(monitor, "/metrics: ");

        var match = System.Text.RegularExpressions.Regex.Match(line, @"^/metrics: (\d+\.\d) KiB before the first results \(rendered in \d+ ms\)$");
        Assert.True(match.Success, line);
        var rendered = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient();
        var scraped = (await http.GetByteArrayAsync(new Uri($"http://127.0.0.1:{port}/metrics"))).Length / 1024.0;
        Assert.True(rendered >= 1, line);
        Assert.InRange(scraped, rendered * 0.5, rendered * 1.5);
    }

    [Fact]
    public async Task Binary_Started_CollectsItsStartUpGarbageOnceAndSaysSo()
    {
        var port = FreePort.Next();
        await using var monitor = await StartAsync(port);

        var line = await OutputLineAsync(monitor, "start-up garbage ");

        Assert.Matches(@"^start-up garbage collected in \d+ ms \(GC heap \d+\.\d -> \d+\.\d MiB\)$", line);
    }

    /// <summary>The built monitor, one target on a closed port, serving on <paramref name="port"/>.</summary>
    private static async Task<ProcessHost> StartAsync(int port)
    {
        var monitor = ProcessHost.Start("dotnet",
            [SyntheticBinary.Path, $"--Synthetic:Listen=http://127.0.0.1:{port}", $"--Synthetic:Targets:0:BaseUrl=http://127.0.0.1:{FreePort.Next()}"],
            RepoPaths.Root);
        try
        {
            await monitor.WaitReadyAsync(new Uri($"http://127.0.0.1:{port}/healthz"), TimeSpan.FromSeconds(60));
            return monitor;
        }
        catch
        {
            await monitor.DisposeAsync();
            throw;
        }
    }

    /// <summary>The first line of the monitor's output that starts so; it arrives asynchronously (bounded wait, not a timing assertion).</summary>
    private static async Task<string> OutputLineAsync(ProcessHost monitor, string prefix)
    {
        for (var i = 0; i < 150; i++)
        {
            var line = monitor.Output.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"no line starting \"{prefix}\":\n{monitor.Output}");
        return string.Empty;
    }

    [Fact]
    public void GcSummary_ThisTestHost_NamesTheBudgetTheRuntimeUses()
    {
        // The test host has no cap of its own: whatever the runtime chose, the line names it in KiB.
        var summary = Synthetic.Cli.RunCommand.GcSummary();

        Assert.Matches(@"^GC (workstation|server), gen0 budget (<= \d+ KiB|from the cache size)(, conserve memory \d+)?(, regions of \d+ KiB)?$", summary);
    }
}
