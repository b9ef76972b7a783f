using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Synthetic.Configuration;
using Synthetic.Hosting;
using Synthetic.Probing;
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

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var (parsed, argumentError) = CheckArguments.Parse(args);
        if (parsed is null)
        {
            await stderr.WriteLineAsync($"synthetic check: {argumentError}\n{SyntheticApp.Usage}");
            return SyntheticApp.ExitBadConfiguration;
        }

        if (parsed.Help)
        {
            await stdout.WriteLineAsync(SyntheticApp.Usage);
            return SyntheticApp.ExitOk;
        }

        var (configuration, configErrors) = SyntheticApp.BuildConfiguration(parsed.ConfigArgs, overrides: null);
        if (configuration is null)
        {
            await SyntheticApp.WriteErrorsAsync(stderr, configErrors);
            return SyntheticApp.ExitBadConfiguration;
        }

        var time = TimeProvider.System;
        var (setup, errors) = SetupLoader.Load(parsed.Apply(configuration), time);
        if (setup is null)
        {
            await SyntheticApp.WriteErrorsAsync(stderr, errors);
            return SyntheticApp.ExitBadConfiguration;
        }

        try
        {
            var started = time.GetTimestamp();
            var round = 0;
            while (true)
            {
                round++;
                var results = await RunRoundAsync(setup, cancellationToken);
                var report = CheckReport.Create(setup, results, parsed.Strict, round, time.GetElapsedTime(started));
                var remaining = parsed.Wait - time.GetElapsedTime(started);
                if (report.Passed || remaining <= TimeSpan.Zero)
                {
                    await stdout.WriteAsync(parsed.Json ? JsonSerializer.Serialize(report.ToJson(), JsonOptions) + "\n" : report.ToTable());
                    return report.Passed ? SyntheticApp.ExitOk : SyntheticApp.ExitFailed;
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

/// <summary>The check command's arguments; everything it does not know is passed on as configuration.</summary>
internal sealed record CheckArguments(bool Json, bool Strict, bool Help, TimeSpan Wait, string? Target, string? LicenseKeyFile, string? Dialect,
    IReadOnlyList<string> Samples, string[] ConfigArgs)
{
    public static (CheckArguments? Arguments, string Error) Parse(string[] args)
    {
        bool json = false, strict = false, help = false;
        var wait = TimeSpan.Zero;
        string? target = null, keyFile = null, dialect = null;
        var samples = new List<string>();
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? Next()
            {
                return i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            }

            switch (arg)
            {
                case "--json": json = true; break;
                case "--strict": strict = true; break;
                case "--help" or "-h": help = true; break;
                case "--wait":
                    var text = Next();
                    if (!DurationParser.TryParse(text, out wait) || wait < TimeSpan.Zero)
                    {
                        return (null, $"--wait: '{text}' is not a duration (e.g. 5m, 90s, 00:05:00).");
                    }

                    break;
                case "--target":
                    target = Next();
                    if (target is null || !Uri.TryCreate(target, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                    {
                        return (null, $"--target: '{target}' is not an absolute http:// or https:// URL.");
                    }

                    break;
                case "--license-key-file":
                    keyFile = Next() ?? string.Empty;
                    if (keyFile.Length == 0)
                    {
                        return (null, "--license-key-file: a file path is required.");
                    }

                    break;
                case "--dialect":
                    dialect = Next();
                    if (dialect is null || !Dialects.All.Contains(dialect))
                    {
                        return (null, $"--dialect: '{dialect}' is not one of {string.Join(", ", Dialects.All)}.");
                    }

                    break;
                case "--sample":
                    var sample = Next();
                    if (string.IsNullOrWhiteSpace(sample))
                    {
                        return (null, "--sample: a sample id is required (see fixtures/audio/manifest.json).");
                    }

                    samples.Add(sample);
                    break;
                case "--config":
                    var file = Next();
                    if (file is null)
                    {
                        return (null, "--config: a file path is required.");
                    }

                    rest.Add("--config");
                    rest.Add(file);
                    break;
                default:
                    if (!arg.StartsWith("--", StringComparison.Ordinal) || !arg.Contains('=', StringComparison.Ordinal))
                    {
                        return (null, $"unknown argument '{arg}'.");
                    }

                    rest.Add(arg);
                    break;
            }
        }

        return (new CheckArguments(json, strict, help, wait, target, keyFile, dialect, samples, [.. rest]), string.Empty);
    }

    /// <summary>A valid target name from the URL's host and port, e.g. 127-0-0-1-7100.</summary>
    internal static string TargetName(Uri url)
    {
        var name = new string([.. $"{url.Host}-{url.Port}".ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '-')]);
        return name.Length > 63 ? name[..63] : name;
    }

    /// <summary>The configuration with --target (a single target replacing the configured ones) and per-canary overrides.</summary>
    public IConfiguration Apply(IConfiguration configuration)
    {
        var values = ConfigurationSnapshot.Read(configuration, SyntheticOptions.SectionName)
            .Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)).ToList();
        if (Target is not null)
        {
            // One target: the first configured target's settings (if any) with this URL; the others are dropped.
            values = [.. values.Where(kv => !kv.Key.StartsWith("Synthetic:Targets", StringComparison.OrdinalIgnoreCase) ||
                                             kv.Key.StartsWith("Synthetic:Targets:0:", StringComparison.OrdinalIgnoreCase))];
            values.RemoveAll(kv => kv.Key.Equals("Synthetic:Targets:0:Name", StringComparison.OrdinalIgnoreCase) ||
                                   kv.Key.Equals("Synthetic:Targets:0:BaseUrl", StringComparison.OrdinalIgnoreCase));
            values.Add(new("Synthetic:Targets:0:Name", TargetName(new Uri(Target))));
            values.Add(new("Synthetic:Targets:0:BaseUrl", Target));
        }

        var indexes = values.Select(kv => kv.Key.Split(':'))
            .Where(p => p.Length > 3 && p[0].Equals("Synthetic", StringComparison.OrdinalIgnoreCase) && p[1].Equals("Targets", StringComparison.OrdinalIgnoreCase))
            .Select(p => p[2]).Distinct().ToList();
        foreach (var index in indexes)
        {
            var prefix = $"Synthetic:Targets:{index}:";
            if (LicenseKeyFile is not null)
            {
                values.RemoveAll(kv => kv.Key.Equals(prefix + "LicenseKey", StringComparison.OrdinalIgnoreCase));
                values.Add(new(prefix + "LicenseKeyFile", LicenseKeyFile));
            }

            if (Dialect is not null)
            {
                values.Add(new(prefix + "Canary:Dialect", Dialect));
            }

            if (Samples.Count > 0)
            {
                values.RemoveAll(kv => kv.Key.StartsWith(prefix + "Canary:Samples", StringComparison.OrdinalIgnoreCase));
                values.AddRange(Samples.Select((s, i) => new KeyValuePair<string, string?>($"{prefix}Canary:Samples:{i}", s)));
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}

/// <summary>One round's results, judged: passed, failing checks, false-positive health per target.</summary>
internal sealed class CheckReport
{
    private static readonly string[] Header = ["TARGET", "CHECK", "OUTCOME", "REASON", "LATENCY", "WER", "DETAIL"];

    private readonly IReadOnlyList<ProbeResult> _results;
    private readonly IReadOnlyList<string> _targets;
    private readonly bool _strict;
    private readonly int _round;
    private readonly TimeSpan _elapsed;

    private CheckReport(IReadOnlyList<ProbeResult> results, IReadOnlyList<string> targets, bool strict, int round, TimeSpan elapsed)
    {
        _results = results;
        _targets = targets;
        _strict = strict;
        _round = round;
        _elapsed = elapsed;
    }

    public static CheckReport Create(MonitorSetup setup, IReadOnlyList<ProbeResult> results, bool strict, int round, TimeSpan elapsed) =>
        new(results, [.. setup.Options.Targets.Select(t => t.Name)], strict, round, elapsed);

    public bool Passed => _results.All(PassedResult);

    private bool PassedResult(ProbeResult r) => _strict ? r.Outcome == Outcome.Success : r.Outcome.Passed();

    public bool FalsePositive(string target) =>
        _results.Any(r => r.Target == target && r.Probe == "health" && r.Outcome.Passed()) &&
        _results.Any(r => r.Target == target && r.Probe is ProbeNames.Transcription or ProbeNames.Streaming && r.Outcome == Outcome.Failure);

    public string FailingSummary() => string.Join("; ", _results.Where(r => !PassedResult(r))
        .Select(r => $"{r.Target}/{r.Probe} {r.Outcome.Name()} ({r.Reason ?? "over a warning threshold"})"));

    public string ToTable()
    {
        var rows = new List<string[]> { Header };
        foreach (var result in _results.OrderBy(r => r.Target, StringComparer.Ordinal).ThenBy(r => r.Probe == "transcription").ThenBy(r => r.Probe, StringComparer.Ordinal))
        {
            foreach (var stream in result.Streams)
            {
                rows.Add([result.Target, $"{result.Probe}/{stream.Sample}", stream.Outcome.Name(), stream.Reason ?? "-", Ms(stream.Duration),
                    stream.WordErrorRate?.ToString("F2", CultureInfo.InvariantCulture) ?? "-", TextSnippet.Of(stream.Detail, 70)]);
            }

            if (result.Samples.Count == 0 && result.Streams.Count == 0)
            {
                rows.Add([result.Target, result.Probe, result.Outcome.Name(), result.Reason ?? "-", Ms(result.Duration), "-", TextSnippet.Of(result.Detail, 70)]);
                continue;
            }

            foreach (var sample in result.Samples)
            {
                rows.Add([result.Target, $"{result.Probe}/{sample.Sample}", sample.Outcome.Name(), sample.Reason ?? "-", Ms(sample.Latency),
                    sample.WordErrorRate?.ToString("F2", CultureInfo.InvariantCulture) ?? "-", TextSnippet.Of(sample.Detail, 70)]);
            }
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
        }

        foreach (var target in _targets.Where(FalsePositive))
        {
            var canary = _results.First(r => r.Target == target && r.Probe is ProbeNames.Transcription or ProbeNames.Streaming && r.Outcome == Outcome.Failure);
            text.AppendLine($"FALSE-POSITIVE HEALTH: {target}: health passes but {canary.Probe} fails ({canary.Reason}).");
        }

        var failed = _results.Count(r => !PassedResult(r));
        text.AppendLine(failed == 0
            ? $"PASSED: {_results.Count} checks{(_round > 1 ? $" after {_round} rounds, {_elapsed.TotalSeconds:F0} s" : string.Empty)}."
            : $"FAILED: {failed} of {_results.Count} checks{(_strict ? " (strict: degraded counts as failed)" : string.Empty)}.");
        return text.ToString();
    }

    public object ToJson() => new
    {
        schema = CheckCommand.Schema,
        passed = Passed,
        strict = _strict,
        rounds = _round,
        elapsedSeconds = Math.Round(_elapsed.TotalSeconds, 3),
        targets = _targets.Select(target => new
        {
            name = target,
            falsePositiveHealth = FalsePositive(target),
            checks = _results.Where(r => r.Target == target).Select(r => new
            {
                probe = r.Probe,
                outcome = r.Outcome.Name(),
                passed = PassedResult(r),
                reason = r.Reason,
                latencyMs = Math.Round(r.Duration.TotalMilliseconds, 2),
                attempts = r.Attempts,
                statusCode = r.StatusCode,
                detail = r.Detail,
                samples = r.Samples.Select(s => new
                {
                    sample = s.Sample,
                    outcome = s.Outcome.Name(),
                    reason = s.Reason,
                    latencyMs = Math.Round(s.Latency.TotalMilliseconds, 2),
                    wordErrorRate = s.WordErrorRate,
                    transcript = s.Transcript,
                    diff = s.Diff,
                    requestId = s.RequestId,
                }).ToList(),
                streams = r.Streams.Count == 0 ? null : r.Streams.Select(s => new
                {
                    sample = s.Sample,
                    outcome = s.Outcome.Name(),
                    reason = s.Reason,
                    timeToFirstTranscriptMs = s.TimeToFirstTranscript is { } t ? Math.Round(t.TotalMilliseconds, 2) : (double?)null,
                    finalizeLatencyMs = s.FinalizeLatency is { } f ? Math.Round(f.TotalMilliseconds, 2) : (double?)null,
                    partials = s.Partials,
                    wordErrorRate = s.WordErrorRate,
                    transcript = s.Transcript,
                    closeCode = s.CloseCode,
                }).ToList(),
            }).ToList(),
        }).ToList(),
    };

    private static string Ms(TimeSpan duration) => $"{duration.TotalMilliseconds:F0} ms";
}
