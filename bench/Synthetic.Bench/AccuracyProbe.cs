using System.Globalization;
using Synthetic.Configuration;
using Synthetic.Health;
using Synthetic.Probing;

namespace Synthetic.Bench;

/// <summary>
/// Helper process of scenario 2: the monitor's own <see cref="HealthProbe"/> against one URL, one run after another,
/// each result printed as <c>SAMPLE index total_seconds processing_seconds ok</c>. A process of its own (started
/// with the shipped monitor's runtimeconfig), so nothing else in it disturbs what it measures, as in the monitor.
/// </summary>
internal static class AccuracyProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? url = null;
        var count = 0;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--url": url = args[i + 1]; break;
                case "--count": count = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: break;
            }
        }

        if (url is null || count <= 0)
        {
            await Console.Error.WriteLineAsync("accuracy-probe: --url URL --count N are required");
            return 2;
        }

        var health = new HealthOptions { Interval = TimeSpan.FromSeconds(10), Timeout = TimeSpan.FromSeconds(5), Detailed = false, Components = [] };
        // One probe object for all runs, like one check: its client lives on, each run opens a fresh connection.
        using var probe = new HealthProbe("bench", "health", new Uri(url), health, detailed: false, reuseConnections: false, TimeProvider.System,
            new Redactor(null));
        for (var i = 0; i < count; i++)
        {
            var result = await probe.RunAsync(CancellationToken.None);
            var processing = result.Phases.Processing is { } p ? p.ToString("R", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SAMPLE {i} {result.Duration.TotalSeconds:R} {processing} {(result.Outcome == Outcome.Success ? 1 : 0)}"));
        }

        Console.WriteLine("DONE");
        return 0;
    }
}
