using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Synthetic.Checks;
using Synthetic.Metrics;
using Synthetic.Results;
using Synthetic.Scheduling;
using Synthetic.Tests.Support;
using Synthetic.Verdicts;

namespace Synthetic.Tests.Scheduling;

/// <summary>Runs through the admission gate: a run that waits starts its probe (and its timeout) when admitted, its next fire is skipped for the monitor's sake, and the check counts as late.</summary>
public sealed class CheckRunnerAdmissionTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly InMemoryResultStore _store = new();
    private readonly Prometheus.CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ScriptedCheck _slow;
    private readonly ScriptedCheck _queued;
    private readonly TaskCompletionSource<ProbeResult> _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CheckRunnerAdmissionTests()
    {
        _slow = new ScriptedCheck("a", "health", _time, Interval) { Next = _ => _release.Task };
        _queued = new ScriptedCheck("b", "health", _time, Interval);
    }

    /// <summary>Checks a (whose run holds the gate until <see cref="_release"/>) and b, through <paramref name="gate"/>.</summary>
    private CheckRunner CreateSut(AdmissionGate gate, IHostApplicationLifetime? lifetime = null)
    {
        var metrics = new SyntheticMetrics(_registry, "test");
        var verdicts = new VerdictPublisher(new VerdictEvaluator(_store, _time, []), metrics);
        using var factory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Information));
        return new CheckRunner([_slow, _queued], _store, metrics, verdicts, _time, factory.CreateLogger<CheckRunner>(), gate, lifetime);
    }

    [Fact]
    public async Task RunAsync_GateFull_WaitsStartsWhenAdmittedAndIsHeldBackMeanwhile()
    {
        using var gate = new AdmissionGate(1, 1, 1, new IdleLoad(), _time);
        var runner = CreateSut(gate);
        DateTimeOffset? probeStartedAt = null;
        _queued.Next = c =>
        {
            probeStartedAt = _time.GetUtcNow();
            return Task.FromResult(c.Result(Outcome.Success));
        };
        var saturation = new SchedulerSaturation(runner, _store, new SchedulerMetrics(_registry), _time);

        var first = runner.RunAsync("a/health", _time.GetUtcNow(), CancellationToken.None);
        var second = runner.RunAsync("b/health", _time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(1, gate.Queued);
        Assert.Equal(0, _queued.Runs);

        _time.Advance(Interval + TimeSpan.FromMilliseconds(100));
        await runner.RunAsync("b/health", _time.GetUtcNow(), CancellationToken.None);
        var held = saturation.Evaluate();
        Assert.Equal(1, Interlocked.Read(ref _store.Get("b", "health")!.Skipped));
        Assert.Contains(_logs.Lines, l => l.Contains("waiting for admission", StringComparison.Ordinal));
        Assert.Equal(1, held.RunsQueued);
        Assert.Equal(1, held.RunsInFlight);
        Assert.Equal(1, held.AdmissionLimit);
        Assert.True(held.LateChecks >= 1, "the held-back check counts as late");
        Assert.True(held.Saturated);

        var admittedAt = _time.GetUtcNow();
        _release.SetResult(_slow.Result(Outcome.Success));
        await Task.WhenAll(first, second);

        Assert.Equal(1, _queued.Runs);
        Assert.Equal(admittedAt, probeStartedAt);
        Assert.Equal(Outcome.Success, _store.Get("b", "health")!.Latest!.Outcome);
        Assert.Equal(0, gate.Running);
    }

    [Fact]
    public async Task RunAsync_StoppedWhileWaiting_RecordsNothingAndFreesTheCheck()
    {
        using var gate = new AdmissionGate(1, 1, 1, new IdleLoad(), _time);
        var runner = CreateSut(gate);
        using var stop = new CancellationTokenSource();

        var first = runner.RunAsync("a/health", _time.GetUtcNow(), CancellationToken.None);
        var second = runner.RunAsync("b/health", _time.GetUtcNow(), stop.Token);
        await stop.CancelAsync();
        await second;
        _release.SetResult(_slow.Result(Outcome.Success));
        await first;

        AssertHeldBackRunNeverRan(gate);
    }

    [Fact]
    public async Task FireAsync_GateFull_EndsItsJobAtOnceAndTheGateStartsTheRunLater()
    {
        using var gate = new AdmissionGate(1, 1, 1, new IdleLoad(), _time);
        var runner = CreateSut(gate);

        var first = runner.FireAsync("a/health", _time.GetUtcNow(), CancellationToken.None);
        var second = runner.FireAsync("b/health", _time.GetUtcNow(), CancellationToken.None);

        Assert.False(first.IsCompleted, "an admitted run's job waits for its probe");
        Assert.True(second.IsCompletedSuccessfully, "a held-back run's job ends at once");
        Assert.Equal(1, gate.Queued);
        Assert.Equal(1, runner.Detached.Count);
        Assert.True(_store.Get("b", "health")!.IsRunning, "the check holds its waiting run, so its next fire is skipped");
        var drained = runner.Detached.DrainAsync(CancellationToken.None);
        Assert.False(drained.IsCompleted);

        _release.SetResult(_slow.Result(Outcome.Success));
        await first;
        await drained.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, _queued.Runs);
        Assert.Equal(Outcome.Success, _store.Get("b", "health")!.Latest!.Outcome);
        Assert.False(_store.Get("b", "health")!.IsRunning);
        Assert.Equal(0, runner.Detached.Count);
        Assert.Equal(0, gate.Running);
    }

    [Fact]
    public async Task FireAsync_StoppingWhileHeldBack_RunsNothingAfterItsJobsTokenIsGone()
    {
        using var gate = new AdmissionGate(1, 1, 1, new IdleLoad(), _time);
        var lifetime = new StoppableLifetime();
        var runner = CreateSut(gate, lifetime);

        var first = runner.FireAsync("a/health", _time.GetUtcNow(), CancellationToken.None);
        // A job's token lives as long as its job (CheckJob's linked source): gone once the held-back run's job has ended.
        using (var job = new CancellationTokenSource())
        {
            await runner.FireAsync("b/health", _time.GetUtcNow(), job.Token).WaitAsync(TimeSpan.FromSeconds(30));
        }

        lifetime.Stop();
        await runner.Detached.DrainAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        _release.SetResult(_slow.Result(Outcome.Success));
        await first;

        AssertHeldBackRunNeverRan(gate);
    }

    [Fact]
    public async Task FireAsync_GateFree_RunsInItsJob()
    {
        using var gate = new AdmissionGate(1, 1, 1, new IdleLoad(), _time);
        var runner = CreateSut(gate);
        var release = new TaskCompletionSource<ProbeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queued.Next = _ => release.Task;

        var run = runner.FireAsync("b/health", _time.GetUtcNow(), CancellationToken.None);

        Assert.False(run.IsCompleted);
        Assert.Equal(0, runner.Detached.Count);
        Assert.Equal(1, gate.Running);
        release.SetResult(_queued.Result(Outcome.Success));
        await run;
        Assert.Equal(0, gate.Running);
        Assert.Equal(Outcome.Success, _store.Get("b", "health")!.Latest!.Outcome);
    }

    /// <summary>Check b, held back by the gate and stopped meanwhile: no result, no run, its state and the gate free.</summary>
    private void AssertHeldBackRunNeverRan(AdmissionGate gate)
    {
        var state = _store.Get("b", "health")!;
        Assert.Null(state.Latest);
        Assert.False(state.IsRunning);
        Assert.Equal(0, _queued.Runs);
        Assert.Equal(0, gate.Running);
        Assert.Equal(0, gate.Queued);
    }

    private sealed class StoppableLifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public void Stop() => _stopping.Cancel();
    }

    private sealed class IdleLoad : IMonitorLoad
    {
        public (double Busy, TimeSpan Lag) Sample() => (0, TimeSpan.Zero);
    }
}
