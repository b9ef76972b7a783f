using System.Diagnostics;
using System.Globalization;

namespace Synthetic.Bench;

/// <summary>Runs the selected scenarios in order, records what failed, writes the report.</summary>
internal static class Runner
{
    public static async Task<int> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var started = Stopwatch.GetTimestamp();
        var failures = new List<string>();
        BenchLog.Info($"scenarios: {string.Join(", ", BenchOptions.AllScenarios.Concat(BenchOptions.OptionalScenarios).Where(options.Scenarios.Contains))}{(options.Quick ? " (quick)" : string.Empty)}");
        Nginx? nginx = null;
        try
        {
            if (options.Scenarios.Contains("cpu") || options.Scenarios.Contains("scale") || options.Scenarios.Contains("cluster") || options.Scenarios.Contains("startup") ||
                options.Scenarios.Contains("soak") || options.Scenarios.Contains("throughput"))
            {
                nginx = await Nginx.StartAsync(context, cancellationToken);
            }

            var scenarios = new (string Key, string Title, Func<Task> Run)[]
            {
                ("cpu", "1. CPU per health probe", () => CpuScenario.RunAsync(context, nginx!, cancellationToken)),
                ("accuracy", "2. Measurement accuracy", () => AccuracyScenario.RunAsync(context, cancellationToken)),
                ("scale", "3. Scale", () => ScaleScenario.RunAsync(context, nginx!, cancellationToken)),
                ("canary", "4. Canary cost", () => CanaryScenario.RunAsync(context, cancellationToken)),
                ("detect", "5. Time to detect", () => DetectScenario.RunAsync(context, cancellationToken)),
                ("cluster", ClusterScenario.Title, () => ClusterScenario.RunAsync(context, nginx!, cancellationToken)),
                ("startup", StartupScenario.Title, () => StartupScenario.RunAsync(context, nginx!, cancellationToken)),
                ("soak", SoakScenario.Title, () => SoakScenario.RunAsync(context, nginx!, cancellationToken)),
                ("throughput", ThroughputScenario.Title, () => ThroughputScenario.RunAsync(context, nginx!, cancellationToken)),
            };
            foreach (var (key, title, run) in scenarios)
            {
                if (!options.Scenarios.Contains(key))
                {
                    continue;
                }

                BenchLog.Info($"=== {title} ===");
                var scenarioStarted = Stopwatch.GetTimestamp();
                try
                {
                    await run();
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    var message = ex is BenchException ? ex.Message : ex.ToString();
                    failures.Add($"{title}: {message.Split('\n')[0]}");
                    context.Report.Section(title).Add($"Did not complete: `{message.Split('\n')[0]}`");
                    BenchLog.Info($"{title} failed: {message}");
                }

                BenchLog.Info($"{title}: {Stopwatch.GetElapsedTime(scenarioStarted).TotalSeconds:F0} s");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            failures.Add($"run cancelled (signal or the {options.HardLimit.TotalMinutes:F0} min limit)");
        }
        catch (BenchException ex)
        {
            failures.Add(ex.Message.Split('\n')[0]);
            BenchLog.Info(ex.Message);
        }

        var markdown = context.Report.Render(Stopwatch.GetElapsedTime(started), failures);
        Directory.CreateDirectory(Path.GetDirectoryName(options.Output)!);
        await File.WriteAllTextAsync(options.Output, markdown, CancellationToken.None);
        Console.WriteLine();
        Console.WriteLine(markdown);
        BenchLog.Info($"wrote {options.Output} ({Stopwatch.GetElapsedTime(started).TotalMinutes.ToString("F1", CultureInfo.InvariantCulture)} min)");
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>Folder for per-sample raw data (git-ignored): next to the report, in raw/.</summary>
    public static string RawFolder(BenchContext context)
    {
        var outputFolder = Path.GetDirectoryName(context.Options.Output)!;
        var folder = Path.GetFileName(outputFolder) == "raw" ? outputFolder : Path.Combine(outputFolder, "raw");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
