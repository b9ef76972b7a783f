namespace Synthetic.Scheduling;

/// <summary>
/// Admission control for check runs, so a monitor past its capacity sheds load instead of timing everything out: at
/// most <see cref="Limit"/> runs are in flight, the others wait in order of arrival, and a run's timeout starts when it
/// is admitted (waiting here is never a probe's failure). A cold start of 6,000 checks × 1 s on 2 cores, without it,
/// timed out half of its runs for as long as it ran: every probe waited for CPU inside its own timeout.
/// <para>
/// The limit follows the monitor, not the targets: while more than <see cref="Free"/> runs are in flight or any wait,
/// every <see cref="Tick"/> it reads the monitor's load (<see cref="IMonitorLoad"/>: its CPU share and how late it
/// handles ready I/O). CPU above <see cref="Full"/> or I/O later than <see cref="Congested"/>: the limit shrinks by a
/// quarter (down to <see cref="Min"/>, one run per core: a fast target on loopback keeps a core busy with one run in
/// flight). Runs waited, CPU below <see cref="Roomy"/> and I/O within <see cref="Clear"/>: it grows by a quarter (up to
/// <see cref="Max"/>). Slow or dead targets hold runs in flight without using CPU or delaying I/O, so they raise the
/// limit as far as they need; only a monitor short of CPU lowers it. At or below <see cref="Free"/> runs the gate is a
/// counter and no timer runs: a monitor at a few probes a second never wakes up for it. The CPU alone did not see the
/// storm (at 5,000 runs in flight the process used 85–90 % while its probes timed out), nor did a thread-pool timer's
/// lag (probe continuations run on the socket engine's thread).
/// </para>
/// </summary>
internal sealed class AdmissionGate : IDisposable
{
    internal static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    internal const double Full = 0.95;

    internal const double Roomy = 0.8;

    internal static readonly TimeSpan Congested = TimeSpan.FromMilliseconds(25);

    internal static readonly TimeSpan Clear = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// How long a scrape holds back every waiting run; after that, and for a scrape that outlasts it, one per core. At
    /// 10,000 checks × 1 s on 2 cores a warm scrape took a median of 80 ms this way (16 of 20 under 100 ms; the first of
    /// a process, cold, 137–186 ms), 115–147 ms with one run per core admitted throughout; a slow scraper costs at most
    /// this much of a saturated monitor's admissions per scrape.
    /// </summary>
    internal static readonly TimeSpan FullYield = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private readonly ITimer _timer;
    private readonly IMonitorLoad _load;
    private readonly TimeProvider _time;
    private int _running;
    private int _limit;
    private bool _ticking;
    private bool _waited;
    private long _admittedAfterWait;
    private int _yielding;
    private long _yieldingSince;

    /// <param name="min">The fewest runs the limit allows in flight (at least 1): one per core in the monitor.</param>
    /// <param name="free">Runs admitted without watching the CPU, the limit to start from: 4 per core in the monitor.</param>
    /// <param name="max">The most runs ever in flight (the scheduler's pool size).</param>
    public AdmissionGate(int min, int free, int max, IMonitorLoad load, TimeProvider? time = null)
    {
        Min = Math.Max(1, min);
        Free = Math.Max(Min, free);
        Max = Math.Max(Free, max);
        _limit = Free;
        _load = load;
        _time = time ?? TimeProvider.System;
        _timer = _time.CreateTimer(static gate => ((AdmissionGate)gate!).OnTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The gate of a monitor on this machine: the limit starts at 4 runs per core, never below 1 per core, never above <paramref name="max"/>.</summary>
    public static AdmissionGate ForMonitor(int max, TimeProvider? time = null) =>
        new(Environment.ProcessorCount, 4 * Environment.ProcessorCount, max, new SystemMonitorLoad(time), time);

    public int Min { get; }

    public int Free { get; }

    public int Max { get; }

    /// <summary>How many runs may be in flight now.</summary>
    public int Limit => Volatile.Read(ref _limit);

    /// <summary>Runs admitted and not yet finished.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Runs waiting to be admitted.</summary>
    public int Queued
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Runs that had to wait before they were admitted, since start.</summary>
    public long AdmittedAfterWait => Interlocked.Read(ref _admittedAfterWait);

    /// <summary>Admits a run now if the limit allows and none waits (then it must <see cref="Exit"/>); false changes nothing.</summary>
    public bool TryEnter()
    {
        lock (_lock)
        {
            return TryEnterUnderLock();
        }
    }

    /// <summary>Admits a run now, or once earlier runs have finished and the limit allows; every call that returns must <see cref="Exit"/>.</summary>
    public ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (TryEnterUnderLock())
            {
                return default;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter);
            _waited = true;
            StartTickingIfBusy();
        }

        return new ValueTask(WaitAsync(waiter, cancellationToken));
    }

    /// <summary>
    /// While the returned scope lasts (a scrape of /metrics), a gate that already holds runs back admits none of them
    /// for up to <see cref="FullYield"/>, then no more than <see cref="Min"/> at once: the scrape gets the CPU the next
    /// runs would have taken. Without waiting runs it changes nothing, so an unsaturated monitor's schedule never
    /// pauses for a scrape. Overlapping scrapes share one full yield, from the first one's start.
    /// </summary>
    public Yielding Yield()
    {
        lock (_lock)
        {
            if (_yielding++ == 0)
            {
                _yieldingSince = _time.GetTimestamp();
            }
        }

        return new Yielding(this);
    }

    public void Exit()
    {
        lock (_lock)
        {
            _running--;
            AdmitWhileRoom();
        }
    }

    /// <summary>
    /// The next limit after a tick in which the monitor's CPU was <paramref name="busy"/> (0–1) and its I/O
    /// <paramref name="lag"/> late, with runs waiting since the last tick or not.
    /// </summary>
    internal static int NextLimit(int limit, double busy, TimeSpan lag, bool waited, int min, int max)
    {
        if (busy > Full || lag > Congested)
        {
            return Math.Max(min, limit - (limit + 3) / 4);
        }

        return waited && busy < Roomy && lag < Clear ? Math.Min(max, limit + (limit + 3) / 4) : limit;
    }

    public void Dispose()
    {
        _timer.Dispose();
        (_load as IDisposable)?.Dispose();
    }

    private static async Task WaitAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        // A run cancelled while it waits (shutdown) is never admitted: the gate skips a waiter it cannot complete.
        await using var registration = cancellationToken.Register(static w => ((TaskCompletionSource)w!).TrySetCanceled(), waiter);
        await waiter.Task;
    }

    private void OnTick()
    {
        var (busy, lag) = _load.Sample();
        lock (_lock)
        {
            _limit = NextLimit(_limit, busy, lag, _waited || _waiting.Count > 0, Min, Max);
            _waited = false;
            AdmitWhileRoom();
            _ticking = false;
            StartTickingIfBusy(resume: false);
        }
    }

    private bool TryEnterUnderLock()
    {
        if (_waiting.Count > 0 || _running >= _limit)
        {
            return false;
        }

        _running++;
        StartTickingIfBusy();
        return true;
    }

    /// <summary>Under the lock: admits waiters in order while the limit allows.</summary>
    private void AdmitWhileRoom()
    {
        var limit = _yielding == 0 ? _limit : _time.GetElapsedTime(_yieldingSince) < FullYield ? 0 : Math.Min(_limit, Min);
        while (_running < limit && _waiting.TryDequeue(out var waiter))
        {
            if (waiter.TrySetResult())
            {
                _running++;
                _admittedAfterWait++;
            }
        }
    }

    /// <summary>Under the lock: the timer runs while more than the free runs are in flight or any wait.</summary>
    private void StartTickingIfBusy(bool resume = true)
    {
        if (_ticking || (_running <= Math.Min(Free, _limit) && _waiting.Count == 0))
        {
            return;
        }

        if (resume)
        {
            // The first tick measures from here, not from the end of the previous busy spell.
            _load.Sample();
        }

        _ticking = true;
        _timer.Change(Tick, Timeout.InfiniteTimeSpan);
    }

    private void EndYield()
    {
        lock (_lock)
        {
            _yielding--;
            AdmitWhileRoom();
        }
    }

    /// <summary>The scope of <see cref="Yield"/>.</summary>
    internal readonly struct Yielding(AdmissionGate gate) : IDisposable
    {
        public void Dispose() => gate.EndYield();
    }
}
