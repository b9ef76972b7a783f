using Synthetic.Configuration;
using Synthetic.Results;
using Synthetic.Scoring;

namespace Synthetic.Checks.Transcription;

/// <summary>
/// Drift: the word error rate of a sample's transcript against the transcript the baseline recorded for it
/// (<c>Canary:Baseline</c>). Above <c>Canary:MaxDrift</c> a passing sample becomes degraded: the model or the
/// decoding path changed even where the WER against the manifest is still within bounds.
/// </summary>
internal static class BaselineDrift
{
    private const int QuotedChars = 60;

    /// <summary><paramref name="result"/> with its drift (and degraded when it drifted too far); unchanged without a baseline.</summary>
    public static SampleResult Apply(SampleResult result, CanaryPlan plan, string? heard)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Baseline is not { } baseline || !baseline.Samples.TryGetValue(result.Sample, out var expected) || result.Transcript is null)
        {
            return result;
        }

        var drift = Math.Round(WordAligner.Score(expected.Transcript, heard).WordErrorRate, 4);
        var withDrift = result with { Drift = drift };
        if (drift <= plan.MaxDrift)
        {
            return withDrift;
        }

        var detail = $"transcript drifted {drift:F2} from the baseline (> {plan.MaxDrift:F2}): heard \"{Quote(result.Transcript)}\", " +
                     $"baseline \"{Quote(expected.Transcript)}\"";
        return result.Outcome == Outcome.Success
            ? withDrift with { Outcome = Outcome.Degraded, Detail = $"{detail}; {result.Detail} (degraded)" }
            : withDrift with { Detail = $"{result.Detail}; {detail}" };
    }

    private static string Quote(string? text) =>
        text is null ? string.Empty : text.Length <= QuotedChars ? text : text[..QuotedChars] + "…";
}
