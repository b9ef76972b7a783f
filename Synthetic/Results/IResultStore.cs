namespace Synthetic.Results;

/// <summary>
/// Where results go and where /status, verdicts and the monitor's own health read them back: the latest result
/// and a short history per check. One process keeps them in memory; a cluster shares them.
/// </summary>
internal interface IResultStore
{
    /// <summary>Outcomes kept per check for /status.</summary>
    const int HistoryLength = 10;

    void Register(string target, string probe, TimeSpan interval);

    CheckState? Get(string target, string probe);

    /// <summary>Every check's state, ordered by target, then probe.</summary>
    IEnumerable<CheckState> All { get; }

    void Add(ProbeResult result);

    /// <summary>When the last run of any check finished; null before the first.</summary>
    DateTimeOffset? LastCompletion { get; }
}
