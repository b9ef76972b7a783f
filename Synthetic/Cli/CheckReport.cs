using System.Globalization;
using System.Text;
using Synthetic.Hosting;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Verdicts;

namespace Synthetic.Cli;

/// <summary>One round's results, judged: passed, failing checks, false-positive health per target.</summary>
internal sealed class CheckReport
{
    private static readonly string[] Header = ["TARGET", "CHECK", "OUTCOME", "REASON", "LATENCY", "WER", "DETAIL"];

    private readonly IReadOnlyList<ProbeResult> _results;
    private readonly IReadOnlyList<string> _targets;
    private readonly Dictionary<string, Verdict> _verdicts;
    private readonly bool _strict;
    private readonly int _round;
    private readonly TimeSpan _elapsed;

    private CheckReport(IReadOnlyList<ProbeResult> results, IReadOnlyList<string> targets, Dictionary<string, Verdict> verdicts, bool strict, int round,
        TimeSpan elapsed)
    {
        _results = results;
        _targets = targets;
        _verdicts = verdicts;
        _strict = strict;
        _round = round;
        _elapsed = elapsed;
    }

    public static CheckReport Create(MonitorSetup setup, IReadOnlyList<ProbeResult> results, DateTimeOffset now, bool strict, int round, TimeSpan elapsed)
    {
        // The monitor's own rule, on the results of this round: they are all fresh.
        var intervals = setup.Checks.ToDictionary(c => (c.Target, c.Probe), c => c.Interval);
        CheckView View(string target, string probe) =>
            results.FirstOrDefault(r => r.Target == target && r.Probe == probe) is { } r ? new CheckView(r, intervals[(target, probe)], null) : new(null, default, null);
        var verdicts = setup.Plan.Targets.Where(t => t.HasVerdicts).ToDictionary(t => t.Name,
            t => VerdictRule.Evaluate(View(t.Name, ProbeNames.Health), [View(t.Name, ProbeNames.Transcription), View(t.Name, ProbeNames.Streaming)], now),
            StringComparer.Ordinal);
        return new(results, [.. setup.Plan.Targets.Select(t => t.Name)], verdicts, strict, round, elapsed);
    }

    public bool Passed => _results.All(PassedResult);

    private bool PassedResult(ProbeResult r) => _strict ? r.Outcome == Outcome.Success : r.Outcome.Passed();

    public bool FalsePositive(string target) => _verdicts.TryGetValue(target, out var verdict) && verdict.FalsePositive;

    public string FailingSummary() => string.Join("; ", _results.Where(r => !PassedResult(r))
        .Select(r => $"{r.Target}/{r.Probe} {r.Outcome.Name()} ({r.Reason ?? "over a warning threshold"})"));

    public string ToTable()
    {
        var rows = new List<string[]> { Header };
        var diffs = new List<string>();
        foreach (var result in _results.OrderBy(r => r.Target, StringComparer.Ordinal).ThenBy(r => r.Samples.Count > 0).ThenBy(r => r.Probe, StringComparer.Ordinal))
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
                if (sample.Diff is { Length: > 0 } diff)
                {
                    // What the server heard, word by word: [expected→heard] substituted, -word- deleted, +word+ inserted.
                    diffs.Add($"  {result.Target}/{result.Probe}/{sample.Sample} heard: {TextSnippet.Of(diff, 400)}");
                }
            }
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
        }

        foreach (var diff in diffs)
        {
            text.AppendLine(diff);
        }

        foreach (var target in _targets.Where(FalsePositive))
        {
            text.AppendLine($"FALSE-POSITIVE HEALTH: {target}: {_verdicts[target].Explanation}.");
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
            verdict = _verdicts.TryGetValue(target, out var verdict) ? verdict.Explanation : null,
            // The /status projection of each result, after the fields check has always had (latencyMs is durationMs).
            checks = _results.Where(r => r.Target == target)
                .Select(r => ResultJson.Project(r, PassedResult(r)))
                .ToList(),
        }).ToList(),
    };

    private static string Ms(TimeSpan duration) => $"{duration.TotalMilliseconds:F0} ms";
}
