namespace Synthetic.Scheduling;

/// <summary>
/// How late the thread pool runs work queued now: a work item put on the pool's global queue, timed until it runs.
/// Probes wait there between their steps (the HTTP handler, Polly, the result), behind the runs already in flight; when
/// this grows, more runs in flight only make every probe slower, not the monitor faster. At 10,000 checks × 1 s on 2
/// cores, 250 runs in flight gave 4,383 runs/s at 73.6 ms per probe (the target answers in about 1 ms), 32 gave 5,714/s
/// at 4.2 ms. The socket engine's ping (<see cref="EventLoopLag"/>) stayed low meanwhile. One work item per
/// <see cref="Ping"/>, only while the gate is busy.
/// </summary>
internal sealed class ThreadPoolLag(TimeProvider? time = null)
{
    private readonly PingDelay _delay = new(time);

    /// <inheritdoc cref="PingDelay.Current"/>
    public TimeSpan Current => _delay.Current;

    /// <inheritdoc cref="PingDelay.Pending"/>
    public bool Pending => _delay.Pending;

    /// <summary>Queues a ping unless one is still on its way.</summary>
    public void Ping()
    {
        if (_delay.TryStart())
        {
            ThreadPool.UnsafeQueueUserWorkItem(static delay => delay.Arrive(), _delay, preferLocal: false);
        }
    }
}
