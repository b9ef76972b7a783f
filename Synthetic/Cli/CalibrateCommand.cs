using System.CommandLine;
using static Synthetic.Cli.CanaryArguments;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Synthetic.Checks.Transcription;
using Synthetic.Configuration;
using Synthetic.Hosting;
using Synthetic.Results;

namespace Synthetic.Cli;

/// <summary>
/// <c>synthetic calibrate --target URL [--runs N] [--out FILE]</c>: every configured canary sample N times against a
/// server known to be good; writes the baseline <c>Canary:Baseline</c> reads (<see cref="CanaryBaseline"/>) and prints
/// a table. Exit 0 written, 1 the server failed runs (nothing written), 2 bad configuration or arguments.
/// </summary>
internal static class CalibrateCommand
{
    public const int DefaultRuns = 5;
    public const string DefaultOut = "baseline.json";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var target = CanaryArguments.Target("The server known to be good (replaces the configured targets; the first target's other settings are kept).", required: true);
        var runs = new Option<int>("--runs")
        {
            Description = "Runs per sample (1 to 100).",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultRuns,
            CustomParser = result => int.TryParse(Token(result), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 100
                ? n
                : Error<int>(result, $"--runs: '{Token(result)}' is not a whole number from 1 to 100."),
        };
        var output = new Option<string>("--out")
        {
            Description = "Write the baseline here; point Canary:Baseline at it.",
            HelpName = "FILE",
            DefaultValueFactory = _ => DefaultOut,
            CustomParser = result => Token(result) is { Length: > 0 } text ? text : Error<string>(result, "--out: a file path is required."),
        };
        var keyFile = CanaryArguments.LicenseKeyFile("Read the target's license key from this file (instead of LicenseKey).");
        var dialect = CanaryArguments.Dialect("The canary's API dialect");
        var sample = CanaryArguments.Sample("Calibrate this sample (an id from fixtures/audio/manifest.json) instead of the configured ones; repeatable.");
        var config = ConfigurationArguments.CreateConfigOption();

        var command = new Command("calibrate", "Run every configured canary sample N times against a good server and write a baseline (drift detection).")
        {
            target, runs, output, keyFile, dialect, sample, config,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parseResult, cancellationToken) =>
        {
            var arguments = new CheckArguments(false, false, TimeSpan.Zero, parseResult.GetValue(target), parseResult.GetValue(keyFile),
                parseResult.GetValue(dialect), parseResult.GetValue(sample) ?? [], ConfigurationArguments.From(parseResult, config));
            return RunAsync(arguments, parseResult.GetValue(runs), parseResult.GetValue(output)!, stdout, stderr, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CheckArguments parsed, int runs, string output, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        var (configuration, configErrors) = SyntheticApp.BuildConfiguration(parsed.Configuration.Args, parsed.Configuration.ConfigFile, overrides: null);
        if (configuration is null)
        {
            await ConfigurationArguments.WriteErrorsAsync(stderr, configErrors);
            return ExitCodes.BadConfiguration;
        }

        var (setup, errors) = SetupLoader.Load(parsed.Apply(configuration), TimeProvider.System);
        if (setup is null)
        {
            await ConfigurationArguments.WriteErrorsAsync(stderr, errors);
            return ExitCodes.BadConfiguration;
        }

        try
        {
            var canary = setup.Checks.OfType<TranscriptionCanary>().FirstOrDefault();
            if (canary is null || setup.Clips is null || setup.Plan.Targets[0].Canary is not { } plan)
            {
                await stderr.WriteLineAsync("synthetic calibrate: the target's canary is off (Synthetic:Targets:0:Canary:Enabled is false); nothing to calibrate.");
                return ExitCodes.BadConfiguration;
            }

            var results = plan.Samples.ToDictionary(s => s, _ => new List<SampleResult>(runs), StringComparer.Ordinal);
            for (var run = 1; run <= runs; run++)
            {
                var result = await canary.RunAsync(cancellationToken);
                foreach (var sample in result.Samples)
                {
                    results[sample.Sample].Add(sample);
                }

                await stderr.WriteLineAsync($"run {run}/{runs}: {result.Outcome.Name()}");
            }

            var summaries = plan.Samples.Select(id => (Id: id, Runs: results[id], Baseline: Calibration.Summarize(setup.Clips[id], results[id]))).ToList();
            var failed = summaries.Sum(s => runs - s.Runs.Count(r => !Calibration.IsFailedRun(r)));
            await stdout.WriteAsync(Table(summaries, runs));
            if (failed > 0)
            {
                var first = summaries.SelectMany(s => s.Runs).FirstOrDefault(Calibration.IsFailedRun);
                await stderr.WriteLineAsync($"synthetic calibrate: {failed} sample run{(failed == 1 ? string.Empty : "s")} failed" +
                                            (first is null ? string.Empty : $" ({first.Sample}: {first.Detail})") +
                                            "; a baseline needs a server that answers every run. Nothing written.");
                return ExitCodes.Failed;
            }

            var document = new BaselineDocument
            {
                Schema = CanaryBaseline.Schema,
                CreatedAt = TimeProvider.System.GetUtcNow(),
                Target = WithoutUserInfo(setup.Plan.Targets[0].BaseUrl),
                Dialect = plan.Dialect,
                Runs = runs,
                Samples = [.. summaries.Select(s => s.Baseline!)],
            };
            try
            {
                await File.WriteAllTextAsync(output, JsonSerializer.Serialize(document, CanaryBaseline.JsonOptions) + "\n", cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"synthetic calibrate: --out: cannot write '{output}': {ex.Message}");
                return ExitCodes.BadConfiguration;
            }

            await stdout.WriteLineAsync($"Baseline written to {output}; set Synthetic:Targets:N:Canary:Baseline to it to detect drift.");
            return ExitCodes.Ok;
        }
        finally
        {
            foreach (var check in setup.Checks.OfType<IDisposable>())
            {
                check.Dispose();
            }
        }
    }

    private static readonly string[] Header =
        ["SAMPLE", "OK", "SAME", "WER", "P50", "P95", "DEGRADED-WER", "MAX-WER", "DEGRADED-LAT", "MAX-LAT", "TRANSCRIPT"];

    private static string WithoutUserInfo(Uri url) => new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri.ToString();

    internal static string Table(IReadOnlyList<(string Id, List<SampleResult> Runs, BaselineSample? Baseline)> summaries, int runs)
    {
        var rows = new List<string[]> { Header };
        foreach (var (id, results, baseline) in summaries)
        {
            var ok = $"{results.Count(r => !Calibration.IsFailedRun(r))}/{runs}";
            rows.Add(baseline is { } b
                ? [id, ok, $"{b.SameTranscriptRuns}/{runs}", F2(b.WordErrorRate), Ms(b.LatencyP50Ms), Ms(b.LatencyP95Ms), F2(b.Suggested!.DegradedWer),
                    F2(b.Suggested.MaxWer), b.Suggested.DegradedLatency, b.Suggested.MaxLatency, b.Transcript ?? string.Empty]
                : [id, ok, "-", "-", "-", "-", "-", "-", "-", "-", results.FirstOrDefault()?.Detail ?? "no run"]);
        }

        var widths = Enumerable.Range(0, rows[0].Length - 1).Select(c => rows.Max(r => r[c].Length)).ToList();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var c = 0; c < widths.Count; c++)
            {
                text.Append(row[c].PadRight(widths[c] + 2));
            }

            text.AppendLine(row[^1].Length > 70 ? row[^1][..70] + "…" : row[^1]);
        }

        return text.ToString();
    }

    private static string F2(double? value) => value?.ToString("F2", CultureInfo.InvariantCulture) ?? "-";

    private static string Ms(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:F0}ms") : "-";
}
