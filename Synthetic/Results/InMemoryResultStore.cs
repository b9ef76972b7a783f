using System.Collections.Concurrent;

namespace Synthetic.Results;

/// <summary>The store of one monitor process: the latest result and a short history per check, in memory.</summary>
internal sealed class InMemoryResultStore : IResultStore
{
    private readonly ConcurrentDictionary<(string Target, string Probe), CheckState> _states = new();

    public void Register(string target, string probe, TimeSpan interval) => _states[(target, probe)] = new CheckState(target, probe, interval);

    public CheckState? Get(string target, string probe) => _states.TryGetValue((target, probe), out var state) ? state : null;

    public IEnumerable<CheckState> All => _states.Values.OrderBy(s => s.Target, StringComparer.Ordinal).ThenBy(s => s.Probe, StringComparer.Ordinal);

    public void Add(ProbeResult result)
    {
        var state = _states.GetOrAdd((result.Target, result.Probe), key => new CheckState(key.Target, key.Probe, TimeSpan.Zero));
        state.Add(result);
    }

    /// <summary>When the last run of any check finished; null before the first.</summary>
    public DateTimeOffset? LastCompletion => _states.Values.Select(s => s.Latest?.FinishedAt).Max();
}
