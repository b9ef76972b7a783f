namespace Synthetic.Scheduling;

/// <summary>
/// The runs that outlive the Quartz job that fired them (<see cref="CheckRunner.FireAsync"/>: waiting for admission,
/// then started by the gate): counted, so the host's stop waits for them (<see cref="RunDrain"/>) as Quartz waits for
/// its jobs, and a fault is logged rather than lost.
/// </summary>
internal sealed class DetachedRuns(Action<Exception> onFault)
{
    private readonly Lock _lock = new();
    private int _count;
    private TaskCompletionSource? _drained;

    /// <summary>Runs started and not yet ended.</summary>
    public int Count => Volatile.Read(ref _count);

    public void Track(Task run)
    {
        if (run.IsCompleted)
        {
            Observe(run);
            return;
        }

        lock (_lock)
        {
            _count++;
        }

        run.ContinueWith(static (ended, self) => ((DetachedRuns)self!).Ended(ended), this, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes once no tracked run is left (at once if none is), or when <paramref name="cancellationToken"/> gives up.</summary>
    public Task DrainAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                return Task.CompletedTask;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task.WaitAsync(cancellationToken);
        }
    }

    private void Ended(Task run)
    {
        Observe(run);
        TaskCompletionSource? drained = null;
        lock (_lock)
        {
            if (--_count == 0)
            {
                (drained, _drained) = (_drained, null);
            }
        }

        drained?.TrySetResult();
    }

    private void Observe(Task run)
    {
        if (run.Exception?.InnerException is { } fault)
        {
            onFault(fault);
        }
    }
}
