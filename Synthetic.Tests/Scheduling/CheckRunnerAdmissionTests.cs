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
    private CheckRunner CreateSut(AdmissionGate gate)
    {
        var metrics = new SyntheticMetrics(_registry, "test");
        var verdicts = new VerdictPublisher(new VerdictEvaluator(_store, _time, []), metrics);
        using var factory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Information));
        return new CheckRunner([_slow, _queued], _store, metrics, verdicts, _time, factory.CreateLogger<CheckRunner>(), gate);
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

        var state = _store.Get("b", "health")!;
        Assert.Null(state.Latest);
        Assert.False(state.IsRunning);
        Assert.Equal(0, _queued.Runs);
        Assert.Equal(0, gate.Running);
    }

    private sealed class IdleLoad : IMonitorLoad
    {
        public (double Busy, TimeSpan Lag) Sample() => (0, TimeSpan.Zero);
    }
}
