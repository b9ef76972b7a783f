using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Synthetic.Checks;
using Synthetic.Metrics;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Verdicts;

namespace Synthetic.Scheduling;

/// <summary>
/// Runs one check when its trigger fires: skips (and counts) a run while the previous one is still going or
/// while the target asked to back off, records the result in the store and metrics, and refreshes verdicts.
/// Skips are logged as changes of state (<see cref="SkipLog"/>); fires are timed for <see cref="SchedulerSaturation"/>.
/// </summary>
internal sealed partial class CheckRunner
{
    private readonly Dictionary<string, ScheduledCheck> _checks;
    private readonly ICheck[] _all;
    private readonly SkipLog _skipLog;
    private readonly ChangeLog _changeLog;
    private readonly AdmissionGate _gate;
    private readonly IResultStore _store;
    private readonly SyntheticMetrics _metrics;
    private readonly VerdictPublisher _verdicts;
    private readonly TimeProvider _time;
    private readonly ILogger<CheckRunner> _logger;
    private readonly CancellationToken? _stopping;

    public CheckRunner(IEnumerable<ICheck> checks, IResultStore store, SyntheticMetrics metrics, VerdictPublisher verdicts,
        TimeProvider time, ILogger<CheckRunner> logger, AdmissionGate? gate = null, IHostApplicationLifetime? lifetime = null)
    {
        _stopping = lifetime?.ApplicationStopping;
        _checks = checks.ToDictionary(Key, c => new ScheduledCheck(Key(c), c), StringComparer.Ordinal);
        _all = [.. _checks.Values.Select(c => c.Check)];
        _store = store;
        _metrics = metrics;
        _verdicts = verdicts;
        _time = time;
        _logger = logger;
        _gate = gate ?? AdmissionGate.ForMonitor(Math.Max(10, _all.Length), time);
        _skipLog = new SkipLog(logger);
        _changeLog = new ChangeLog(logger);
        Detached = new DetachedRuns(ex => LogDetachedRunFailed(ex.GetType().Name));
        CreatedAt = time.GetUtcNow();
        foreach (var check in _all)
        {
            _store.Register(check.Target, check.Probe, check.Interval);
            _metrics.RegisterCheck(check.Target, check.Probe, check.Interval, check.Retries > 0);
        }
    }

    public static string Key(ICheck check) => check.Target + "/" + check.Probe;

    public IReadOnlyCollection<ICheck> Checks => _all;

    /// <summary>Every check with the times of its fires and starts, for <see cref="SchedulerSaturation"/>.</summary>
    internal IReadOnlyCollection<ScheduledCheck> Scheduled => _checks.Values;

    /// <summary>When the runner was made, just before the scheduler starts: "the last fire" of a check that has not fired yet.</summary>
    internal DateTimeOffset CreatedAt { get; }

    /// <summary>The admission control every run passes before its probe starts.</summary>
    internal AdmissionGate Gate => _gate;

    /// <summary>Runs that outlive the fire that started them (<see cref="FireAsync"/>), for the host's stop to wait for.</summary>
    internal DetachedRuns Detached { get; }

    public bool TryGetCheck(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ICheck check)
    {
        var found = _checks.TryGetValue(key, out var scheduled);
        check = scheduled?.Check;
        return found;
    }

    /// <summary>One run of the check, awaited to its end: the wait for admission, the probe and what it records.</summary>
    public Task RunAsync(string key, DateTimeOffset? scheduledAt, CancellationToken cancellationToken) =>
        RunAsync(key, scheduledAt, detach: false, cancellationToken);

    /// <summary>
    /// A trigger's fire (<see cref="CheckJob"/>): the same run, but one the gate holds back waits there, not in its
    /// Quartz job, which ends at once; the gate starts it later, and the host's stop cancels it (the application's
    /// stopping token) and waits for it (<see cref="Detached"/>). A saturated monitor holds a run waiting for every
    /// check it is behind on; held in their jobs, each kept Quartz's fired trigger, job and context and its own
    /// continuations alive for the second or more it waited (~2.7 KB a run, 5,000 at 10,000 checks × 1 s), all
    /// promoted to the oldest generation to die there: 20 % of the monitor's time went to GC pauses.
    /// </summary>
    public Task FireAsync(string key, DateTimeOffset? scheduledAt, CancellationToken cancellationToken) =>
        RunAsync(key, scheduledAt, detach: true, cancellationToken);

    private Task RunAsync(string key, DateTimeOffset? scheduledAt, bool detach, CancellationToken cancellationToken)
    {
        if (!_checks.TryGetValue(key, out var scheduledCheck))
        {
            return Task.CompletedTask;
        }

        var check = scheduledCheck.Check;
        var now = _time.GetUtcNow();
        scheduledCheck.Fired(now, scheduledAt);
        var state = _store.Get(check.Target, check.Probe)!;
        if (state.NotBefore is { } notBefore && now < notBefore)
        {
            Skip(scheduledCheck, state, "backing off after the target asked to retry later", now, scheduledAt);
            return Task.CompletedTask;
        }

        // Shed stale work, never a check: a fire that waited (in the thread pool) past a run started since it was
        // due adds nothing that run does not say, and running it would double the load of a monitor already behind.
        if (scheduledAt is { } due && due.UtcTicks < Volatile.Read(ref scheduledCheck.LastStartedTicks))
        {
            Skip(scheduledCheck, state, "a later run already started (the monitor is behind schedule)", now, scheduledAt);
            return Task.CompletedTask;
        }

        if (!state.TryEnter())
        {
            var shed = Volatile.Read(ref scheduledCheck.QueuedSinceTicks) != 0;
            if (shed)
            {
                Volatile.Write(ref scheduledCheck.LastShedTicks, now.UtcTicks);
            }

            Skip(scheduledCheck, state, shed
                ? "the previous run is still waiting for admission (the monitor is at its limit of concurrent runs)"
                : "previous run still in progress", now, scheduledAt);
            return Task.CompletedTask;
        }

        if (detach && !_gate.TryEnter())
        {
            Detached.Track(RunEnteredAsync(scheduledCheck, state, now, scheduledAt, admitted: false, _stopping ?? cancellationToken));
            return Task.CompletedTask;
        }

        return RunEnteredAsync(scheduledCheck, state, now, scheduledAt, admitted: detach, cancellationToken);
    }

    /// <summary>The run of a check whose state it holds: admitted already, or waiting for the gate first.</summary>
    private async Task RunEnteredAsync(ScheduledCheck scheduledCheck, CheckState state, DateTimeOffset now, DateTimeOffset? scheduledAt,
        bool admitted, CancellationToken cancellationToken)
    {
        var check = scheduledCheck.Check;
        ProbeResult result;
        try
        {
            if (!admitted && !await AdmitAsync(scheduledCheck, now, cancellationToken))
            {
                return;
            }

            var started = _time.GetUtcNow();
            if (scheduledAt is { } scheduled)
            {
                _metrics.StartLag(started - scheduled);
            }

            scheduledCheck.Started(started, now);
            _skipLog.Ran(scheduledCheck, started);
            try
            {
                result = await check.RunAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A probe is written never to throw; if one does, the run still leaves a result.
                result = new ProbeResult(check.Target, check.Probe, Outcome.Failure, Reasons.Connection, "internal error: " + ex.GetType().Name,
                    started, _time.GetUtcNow() - started, 0, null, PhaseTimings.None);
                LogProbeCrashed(check.Target, check.Probe, ex.GetType().Name);
            }
            finally
            {
                _gate.Exit();
            }
        }
        finally
        {
            state.Exit();
        }

        Record(state, result with { ScheduledAt = scheduledAt });
    }

    /// <summary>Waits for the gate (in order, marked on the check while it waits); false if the monitor stops first.</summary>
    private async ValueTask<bool> AdmitAsync(ScheduledCheck check, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var admission = _gate.EnterAsync(cancellationToken);
        if (admission.IsCompletedSuccessfully)
        {
            return true;
        }

        Volatile.Write(ref check.QueuedSinceTicks, now.UtcTicks);
        try
        {
            await admission;
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            Volatile.Write(ref check.QueuedSinceTicks, 0);
        }
    }

    private void Record(CheckState state, ProbeResult result)
    {
        var previous = state.Latest;
        _store.Add(result);
        _metrics.Record(result);
        state.BackOffFor(result);

        _verdicts.Publish(result.Target);
        // Log changes of state, not every run: a dead target must not flood the log.
        var failed = result.Outcome == Outcome.Failure;
        var wasFailing = previous?.Outcome == Outcome.Failure;
        if (failed && (!wasFailing || previous!.Reason != result.Reason))
        {
            if (_changeLog.Take(failure: true, result.FinishedAt))
            {
                LogFailed(result.Target, result.Probe, result.Reason ?? "unknown", result.Detail);
            }
        }
        else if (!failed && wasFailing)
        {
            if (_changeLog.Take(failure: false, result.FinishedAt))
            {
                LogRecovered(result.Target, result.Probe, result.Outcome);
            }
        }
        else
        {
            LogRun(result.Target, result.Probe, result.Outcome, result.Duration);
        }
    }

    /// <summary>A trigger Quartz could not fire on time (misfire): counted like any skipped run, in the metric and in /status.</summary>
    public void Misfired(string key)
    {
        if (_checks.TryGetValue(key, out var check) && _store.Get(check.Check.Target, check.Check.Probe) is { } state)
        {
            // The scheduler could not fire it (all its slots held by runs in flight or waiting): held back by the monitor.
            var now = _time.GetUtcNow();
            Volatile.Write(ref check.LastShedTicks, now.UtcTicks);
            Skip(check, state, "the trigger misfired (the scheduler was late)", now, null);
        }
    }

    private void Skip(ScheduledCheck check, CheckState state, string why, DateTimeOffset now, DateTimeOffset? scheduledAt)
    {
        if (scheduledAt is { } scheduled)
        {
            _metrics.StartLag(now - scheduled);
        }

        Interlocked.Increment(ref state.Skipped);
        _metrics.Skipped(state.Target, state.Probe);
        _skipLog.Skipped(check, why, now);
    }

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "{Target}/{Probe}: recovered ({Outcome})")]
    private partial void LogRecovered(string target, string probe, Outcome outcome);

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "{Target}/{Probe}: {Outcome} in {Duration}")]
    private partial void LogRun(string target, string probe, Outcome outcome, TimeSpan duration);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "{Target}/{Probe}: failure ({Reason}): {Detail}")]
    private partial void LogFailed(string target, string probe, string reason, string detail);

    [LoggerMessage(EventId = 109, Level = LogLevel.Error, Message = "a run started by the admission gate threw {Exception}")]
    private partial void LogDetachedRunFailed(string exception);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "{Target}/{Probe}: probe threw {Exception}; recorded as a failure")]
    private partial void LogProbeCrashed(string target, string probe, string exception);
}
