using Synthetic.Metrics;
using Synthetic.Verdicts;

namespace Synthetic.Scheduling;

/// <summary>Puts the verdicts into the metrics: after each result of a target, and before each scrape (verdicts go stale with time).</summary>
internal sealed class VerdictPublisher(VerdictEvaluator verdicts, SyntheticMetrics metrics)
{
    public void Publish(string target)
    {
        if (!verdicts.Evaluates(target))
        {
            return;
        }

        var verdict = verdicts.Evaluate(target);
        metrics.SetVerdicts(target, verdict.FalsePositive, verdict.FalseNegative);
    }

    public void PublishAll()
    {
        foreach (var target in verdicts.Targets)
        {
            Publish(target);
        }
    }
}
