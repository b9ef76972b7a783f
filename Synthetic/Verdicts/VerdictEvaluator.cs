using Synthetic.Results;

namespace Synthetic.Verdicts;

/// <summary>
/// Applies <see cref="VerdictRule"/> to the store's latest results. Only targets with both a health check and a
/// transcription path have verdicts (<paramref name="targets"/>); the others export none rather than a reassuring 0
/// that nothing measured.
/// </summary>
internal sealed class VerdictEvaluator(IResultStore store, TimeProvider time, IReadOnlyCollection<string> targets)
{
    private static readonly string[] Paths = [ProbeNames.Transcription, ProbeNames.Streaming];

    private readonly HashSet<string> _targets = new(targets, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Targets => _targets;

    public bool Evaluates(string target) => _targets.Contains(target);

    public Verdict Evaluate(string target)
    {
        if (!_targets.Contains(target))
        {
            return Verdict.NotEvaluated;
        }

        var paths = Paths.Select(p => store.Get(target, p)).OfType<CheckState>().Select(CheckView.Of).ToList();
        return VerdictRule.Evaluate(CheckView.Of(store.Get(target, ProbeNames.Health)), paths, time.GetUtcNow());
    }
}
