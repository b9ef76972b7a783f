namespace Synthetic.Results;

/// <summary>What is known of one check: its latest result, last failure, short history, and whether it is running.</summary>
internal sealed class CheckState(string target, string probe, TimeSpan interval)
{
    private readonly Lock _gate = new();
    // Outcomes only: a full result per history entry would cost ~10 objects per check (MBs at 2,000 checks).
    private readonly Queue<Outcome> _history = new();
    // Durations of the same runs, in milliseconds, for the status page's latency chart.
    private readonly Queue<double> _durations = new();
    private ProbeResult? _latest;
    private ProbeResult? _lastFailure;
    private int _running;

    public string Target => target;

    public string Probe => probe;

    public TimeSpan Interval => interval;

    public long Skipped;

    /// <summary>The target asked us to back off until then (429/503 with retry_after).</summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>
    /// Backs off as <paramref name="result"/> asked (its retry_after from when it finished), whichever node made it;
    /// an earlier end never shortens a back-off already in force.
    /// </summary>
    public void BackOffFor(ProbeResult result)
    {
        if (result.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero && result.FinishedAt + retryAfter > (NotBefore ?? DateTimeOffset.MinValue))
        {
            NotBefore = result.FinishedAt + retryAfter;
        }
    }

    public ProbeResult? Latest
    {
        get { lock (_gate) { return _latest; } }
    }

    public ProbeResult? LastFailure
    {
        get { lock (_gate) { return _lastFailure; } }
    }

    /// <summary>Outcomes of the last <see cref="IResultStore.HistoryLength"/> runs, oldest first.</summary>
    public IReadOnlyList<Outcome> History
    {
        get { lock (_gate) { return [.. _history]; } }
    }

    /// <summary>Durations of the runs in <see cref="History"/>, in milliseconds, oldest first.</summary>
    public IReadOnlyList<double> LatencyHistory
    {
        get { lock (_gate) { return [.. _durations]; } }
    }

    public bool TryEnter() => Interlocked.CompareExchange(ref _running, 1, 0) == 0;

    public void Exit() => Volatile.Write(ref _running, 0);

    public bool IsRunning => Volatile.Read(ref _running) == 1;

    /// <summary>Takes the cluster's shared view of this check: its latest result, last failure and history.</summary>
    public void Replace(ProbeResult? latest, ProbeResult? lastFailure, IEnumerable<Outcome> history)
    {
        lock (_gate)
        {
            _latest = latest;
            _lastFailure = lastFailure;
            _history.Clear();
            foreach (var outcome in history.TakeLast(IResultStore.HistoryLength))
            {
                _history.Enqueue(outcome);
            }
        }
    }

    public void Add(ProbeResult result)
    {
        lock (_gate)
        {
            _latest = result;
            if (result.Outcome == Outcome.Failure)
            {
                _lastFailure = result;
            }

            _history.Enqueue(result.Outcome);
            _durations.Enqueue(Math.Round(result.Duration.TotalMilliseconds, 2));
            while (_history.Count > IResultStore.HistoryLength)
            {
                _history.Dequeue();
                _durations.Dequeue();
            }
        }
    }
}
