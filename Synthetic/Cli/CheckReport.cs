using System.Globalization;
using System.Text;
using Synthetic.Hosting;
using Synthetic.Probing;
using Synthetic.Results;

namespace Synthetic.Cli;

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
        new(results, [.. setup.Plan.Targets.Select(t => t.Name)], strict, round, elapsed);

    public bool Passed => _results.All(PassedResult);

    private bool PassedResult(ProbeResult r) => _strict ? r.Outcome == Outcome.Success : r.Outcome.Passed();

    public bool FalsePositive(string target) =>
        _results.Any(r => r.Target == target && r.Probe == "health" && r.Outcome.Passed()) &&
        _results.Any(r => r.Target == target && r.Probe == "transcription" && r.Outcome == Outcome.Failure);

    public string FailingSummary() => string.Join("; ", _results.Where(r => !PassedResult(r))
        .Select(r => $"{r.Target}/{r.Probe} {r.Outcome.Name()} ({r.Reason ?? "over a warning threshold"})"));

    public string ToTable()
    {
        var rows = new List<string[]> { Header };
        foreach (var result in _results.OrderBy(r => r.Target, StringComparer.Ordinal).ThenBy(r => r.Probe == "transcription").ThenBy(r => r.Probe, StringComparer.Ordinal))
        {
            if (result.Samples.Count == 0)
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
            var canary = _results.First(r => r.Target == target && r.Probe == "transcription");
            text.AppendLine($"FALSE-POSITIVE HEALTH: {target}: health passes but transcription fails ({canary.Reason}).");
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
            }).ToList(),
        }).ToList(),
    };

    private static string Ms(TimeSpan duration) => $"{duration.TotalMilliseconds:F0} ms";
}
