using System.CommandLine;
using static Synthetic.Cli.CanaryArguments;
using System.CommandLine.Parsing;
using System.Text.Json;
using Synthetic.Checks.Transcription;
using Synthetic.Configuration;
using Synthetic.Hosting;
using Synthetic.Results;

namespace Synthetic.Cli;

/// <summary>
/// <c>synthetic check</c>: every configured check once (or in rounds until all pass, with --wait), in parallel
/// across targets, printed as a table or JSON. Exit 0 all passed, 1 some failed, 2 bad configuration or arguments.
/// </summary>
internal static class CheckCommand
{
    public const string Schema = "synthetic.check/v1";

    private static readonly TimeSpan RoundPause = TimeSpan.FromSeconds(2);

    // camelCase: the results are records (ResultView), named by the policy like /status's; the rest is already camelCase.
    internal static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var target = CanaryArguments.Target("Check this URL only (replaces the configured targets; the first target's other settings are kept).", required: false);
        var json = new Option<bool>("--json") { Description = $"Print the results as JSON (schema {Schema}) instead of a table." };
        var wait = new Option<TimeSpan>("--wait")
        {
            Description = "Repeat rounds until every check passes or this much time has passed (5m, 30s, 00:05:00).",
            HelpName = "DURATION",
            CustomParser = result => DurationParser.TryParse(Token(result), out var value) && value >= TimeSpan.Zero
                ? value
                : Error<TimeSpan>(result, $"--wait: '{Token(result)}' is not a duration (e.g. 5m, 90s, 00:05:00)."),
        };
        var strict = new Option<bool>("--strict") { Description = "Count degraded results as failed." };
        var keyFile = CanaryArguments.LicenseKeyFile("Read every target's license key from this file (instead of LicenseKey).");
        var dialect = CanaryArguments.Dialect("The canary's API dialect for every target");
        var sample = CanaryArguments.Sample("Send this sample (an id from fixtures/audio/manifest.json) instead of the configured ones; repeatable.");
        var config = ConfigurationArguments.CreateConfigOption();

        var command = new Command("check", "Run every configured check once and exit 0 (all passed), 1 (some failed) or 2 (bad configuration).")
        {
            target, json, wait, strict, keyFile, dialect, sample, config,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parseResult, cancellationToken) =>
        {
            var arguments = new CheckArguments(parseResult.GetValue(json), parseResult.GetValue(strict), parseResult.GetValue(wait),
                parseResult.GetValue(target), parseResult.GetValue(keyFile), parseResult.GetValue(dialect), parseResult.GetValue(sample) ?? [],
                ConfigurationArguments.From(parseResult, config));
            return RunAsync(arguments, stdout, stderr, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CheckArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var (configuration, configErrors) = SyntheticApp.BuildConfiguration(parsed.Configuration.Args, parsed.Configuration.ConfigFile, overrides: null);
        if (configuration is null)
        {
            await ConfigurationArguments.WriteErrorsAsync(stderr, configErrors);
            return ExitCodes.BadConfiguration;
        }

        var time = TimeProvider.System;
        var (setup, errors) = SetupLoader.Load(parsed.Apply(configuration), time);
        if (setup is null)
        {
            await ConfigurationArguments.WriteErrorsAsync(stderr, errors);
            return ExitCodes.BadConfiguration;
        }

        try
        {
            var started = time.GetTimestamp();
            var round = 0;
            while (true)
            {
                round++;
                var results = await RunRoundAsync(setup, cancellationToken);
                var report = CheckReport.Create(setup, results, time.GetUtcNow(), parsed.Strict, round, time.GetElapsedTime(started));
                var remaining = parsed.Wait - time.GetElapsedTime(started);
                if (report.Passed || remaining <= TimeSpan.Zero)
                {
                    await stdout.WriteAsync(parsed.Json ? JsonSerializer.Serialize(report.ToJson(), JsonOptions) + "\n" : report.ToTable());
                    return report.Passed ? ExitCodes.Ok : ExitCodes.Failed;
                }

                await stderr.WriteLineAsync($"round {round}: {report.FailingSummary()} (waiting up to {remaining.TotalSeconds:F0} s more)");
                await Task.Delay(remaining < RoundPause ? remaining : RoundPause, time, cancellationToken);
            }
        }
        finally
        {
            foreach (var check in setup.Checks.OfType<IDisposable>())
            {
                check.Dispose();
            }
        }
    }

    private static async Task<IReadOnlyList<ProbeResult>> RunRoundAsync(MonitorSetup setup, CancellationToken cancellationToken)
    {
        // Targets in parallel; within a target the health checks run together and the canary sends its samples in turn.
        var runs = setup.Checks.Select(check => check.RunAsync(cancellationToken));
        return await Task.WhenAll(runs);
    }
}
