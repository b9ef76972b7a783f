using Synthetic.Metrics;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Scheduling;

namespace Synthetic.Verdicts;

internal sealed record Verdict(bool FalsePositive, bool FalseNegative, string Explanation);

/// <summary>
/// False-positive health: the latest health result passed and the latest transcription or streaming result failed,
/// each fresher than twice its interval. False-negative health: health fails while every fresh canary passes. Only
/// targets with both a health check and a canary (batch or streaming) have verdicts (<paramref name="targets"/>); the others export none rather than
/// a reassuring 0 that nothing measured.
/// </summary>
internal sealed class VerdictEvaluator(IResultStore store, SyntheticMetrics metrics, TimeProvider time, IReadOnlyCollection<string> targets)
{
    public const string HealthProbeName = "health";
    public const string TranscriptionProbeName = "transcription";

    /// <summary>The paths a user depends on, in the order an explanation names them.</summary>
    private static readonly string[] CanaryProbes = [TranscriptionProbeName, ProbeNames.Streaming];

    private readonly HashSet<string> _targets = new(targets, StringComparer.Ordinal);

    public Verdict Evaluate(string target)
    {
        if (!_targets.Contains(target))
        {
            return new Verdict(false, false, "not evaluated: the target needs both a health check and a canary");
        }

        var now = time.GetUtcNow();
        var health = Fresh(store.Get(target, HealthProbeName), now);
        var canaries = CanaryProbes.Select(probe => Fresh(store.Get(target, probe), now)).OfType<ProbeResult>().ToList();
        if (health is null || canaries.Count == 0)
        {
            return new Verdict(false, false, health is null ? "no fresh health result" : "no fresh transcription or streaming result");
        }

        var healthPassed = health.Outcome.Passed();
        var failing = canaries.Where(c => !c.Outcome.Passed()).ToList();
        var falsePositive = healthPassed && failing.Count > 0;
        var falseNegative = !healthPassed && failing.Count == 0;
        var explanation = falsePositive
            ? $"health says {health.Outcome.Name()} but {string.Join(" and ", failing.Select(c => $"{c.Probe} fails ({c.Reason})"))}"
            : falseNegative
                ? $"health fails ({health.Reason}) but transcription works"
                : healthPassed ? "health and transcription agree: passing" : "health and transcription agree: failing";
        return new Verdict(falsePositive, falseNegative, explanation);
    }

    public void Refresh(string target)
    {
        if (!_targets.Contains(target))
        {
            return;
        }

        var verdict = Evaluate(target);
        metrics.SetVerdicts(target, verdict.FalsePositive, verdict.FalseNegative);
    }

    public void RefreshAll()
    {
        foreach (var target in targets)
        {
            Refresh(target);
        }
    }

    private static ProbeResult? Fresh(CheckState? state, DateTimeOffset now)
    {
        var latest = state?.Latest;
        return latest is not null && now - latest.FinishedAt <= 2 * state!.Interval ? latest : null;
    }
}
