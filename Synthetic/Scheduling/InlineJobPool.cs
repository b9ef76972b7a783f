using Quartz.Extensibility;

namespace Synthetic.Scheduling;

/// <summary>
/// Quartz's thread pool for the monitor: a fired job starts on the scheduler's own loop and runs there up to its first
/// await (for a probe, the hand-off of the request to the HTTP handler: microseconds), then continues wherever its I/O
/// completes. Quartz's default pool queues every firing to the .NET thread pool and queues its accounting again when the
/// job ends, so each probe woke worker threads twice for nothing (bench scenario 1 counts the work items and context
/// switches per probe). Like the default pool it runs at most <see cref="PoolSize"/> jobs at once, and its shutdown waits
/// for running jobs, their last job-store update included.
/// </summary>
internal sealed class InlineJobPool(int maxConcurrency) : IThreadPool
{
    private int _maxConcurrency = maxConcurrency;
    private readonly Lock _gate = new();
    private int _running;
    private bool _initialized;
    private bool _closed;
    private TaskCompletionSource? _slotFreed;
    private TaskCompletionSource? _drained;

    /// <summary>How many jobs may run at once: the constructor's, or Quartz's configured MaxConcurrency (set before the scheduler starts).</summary>
    public int PoolSize
    {
        get => Volatile.Read(ref _maxConcurrency);
        set => Volatile.Write(ref _maxConcurrency, Math.Max(1, value));
    }

    /// <summary>Jobs started and not yet finished.</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    public ValueTask Initialize(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _initialized = true;
        }

        return default;
    }

    public async ValueTask<int> WaitForAvailableThreads(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task freed;
            lock (_gate)
            {
                if (!_initialized || _closed)
                {
                    return 0;
                }

                if (_running < _maxConcurrency)
                {
                    return _maxConcurrency - _running;
                }

                freed = SlotFreed();
            }

            try
            {
                await freed.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
        }
    }

    public ValueTask<bool> TryRun(Func<ValueTask> action, CancellationToken cancellationToken = default) =>
        TryRunWithState(static state => ((Func<ValueTask>)state!)(), action, cancellationToken);

    public async ValueTask<bool> TryRunWithState(Func<object?, ValueTask> action, object? state, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task freed;
            lock (_gate)
            {
                if (!_initialized || _closed)
                {
                    return false;
                }

                if (_running < _maxConcurrency)
                {
                    _running++;
                    break;
                }

                freed = SlotFreed();
            }

            try
            {
                await freed.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        // Not awaited: the job runs here until its first await, then on its own; RunAsync releases the slot at its end.
        _ = RunAsync(action, state);
        return true;
    }

    public async ValueTask Shutdown(bool waitForJobsToComplete = true, CancellationToken cancellationToken = default)
    {
        var drained = Close();
        if (waitForJobsToComplete)
        {
            // Like Quartz's own pool, not abandoned: what follows (job store and listener shutdown) needs the jobs done.
            await drained;
        }
    }

    public async ValueTask<bool> Drain(CancellationToken cancellationToken = default)
    {
        try
        {
            await Close().WaitAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task RunAsync(Func<object?, ValueTask> action, object? state)
    {
        try
        {
            await action(state);
        }
        catch (Exception)
        {
            // Quartz's job run shell catches and reports whatever a job throws; nothing reaches here but a Quartz bug,
            // and the slot must be released all the same.
        }
        finally
        {
            Release();
        }
    }

    private void Release()
    {
        TaskCompletionSource? freed;
        TaskCompletionSource? drained = null;
        lock (_gate)
        {
            _running--;
            freed = _slotFreed;
            _slotFreed = null;
            if (_running == 0 && _closed)
            {
                drained = _drained;
            }
        }

        freed?.TrySetResult();
        drained?.TrySetResult();
    }

    /// <summary>Stops taking work; the task completes once the running jobs have finished.</summary>
    private Task Close()
    {
        TaskCompletionSource? freed;
        Task drained;
        lock (_gate)
        {
            _closed = true;
            freed = _slotFreed;
            _slotFreed = null;
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_running == 0)
            {
                _drained.TrySetResult();
            }

            drained = _drained.Task;
        }

        // Waiters for a slot wake up, see the pool closed and give up.
        freed?.TrySetResult();
        return drained;
    }

    /// <summary>Under the lock: the task a caller waits on for a slot to free up.</summary>
    private Task SlotFreed() =>
        (_slotFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
}
