using Synthetic.Results;

namespace Synthetic.Verdicts;

internal sealed record Verdict(bool FalsePositive, bool FalseNegative, string Explanation)
{
    public static Verdict NotEvaluated { get; } = new(false, false, "not evaluated: the target needs both a health check and a canary");
}

/// <summary>The latest result of one check with what freshness needs: its interval and any back-off the server asked for.</summary>
internal sealed record CheckView(ProbeResult? Latest, TimeSpan Interval, DateTimeOffset? NotBefore)
{
    public static CheckView Of(CheckState? state) => new(state?.Latest, state?.Interval ?? TimeSpan.Zero, state?.NotBefore);

    /// <summary>Within 2× the interval of now, plus the back-off the server asked for (no run is due during it).</summary>
    public ProbeResult? Fresh(DateTimeOffset now)
    {
        if (Latest is not { } latest)
        {
            return null;
        }

        var backoff = NotBefore is { } notBefore && notBefore > latest.FinishedAt ? notBefore - latest.FinishedAt : TimeSpan.Zero;
        return now - latest.FinishedAt <= 2 * Interval + backoff ? latest : null;
    }
}

/// <summary>
/// The one rule for false-positive and false-negative health, used by the monitor and by <c>check</c>. False positive:
/// the latest fresh health result passed and a fresh transcription path (batch canary, streaming) failed. False
/// negative is the mirror image: health fails while every fresh path works.
/// </summary>
internal static class VerdictRule
{
    public static Verdict Evaluate(CheckView health, IReadOnlyList<CheckView> paths, DateTimeOffset now)
    {
        var healthResult = health.Fresh(now);
        var fresh = paths.Select(p => p.Fresh(now)).OfType<ProbeResult>().ToList();
        if (healthResult is null || fresh.Count == 0)
        {
            return new Verdict(false, false, healthResult is null ? "no fresh health result" : "no fresh transcription result");
        }

        var healthPassed = healthResult.Outcome.Passed();
        var failing = fresh.Where(r => !r.Outcome.Passed()).ToList();
        if (healthPassed && failing.Count > 0)
        {
            var which = string.Join(" and ", failing.Select(r => $"{r.Probe} fails ({r.Reason})"));
            return new Verdict(true, false, $"health says {healthResult.Outcome.Name()} but {which}");
        }

        if (!healthPassed && failing.Count == 0)
        {
            var which = string.Join(" and ", fresh.Select(r => r.Probe));
            return new Verdict(false, true, $"health fails ({healthResult.Reason}) but {which} works");
        }

        return new Verdict(false, false, healthPassed ? "health and transcription agree: passing" : "health and transcription agree: failing");
    }
}
