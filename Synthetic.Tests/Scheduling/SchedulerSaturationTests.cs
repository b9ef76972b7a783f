using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Synthetic.Checks;
using Synthetic.Metrics;
using Synthetic.Results;
using Synthetic.Scheduling;
using Synthetic.Tests.Support;
using Synthetic.Verdicts;

namespace Synthetic.Tests.Scheduling;

/// <summary>Late checks and the saturated rule, driven by a fake clock; and stale fires shed without starving a check.</summary>
public sealed class SchedulerSaturationTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly InMemoryResultStore _store = new();
    private readonly Prometheus.CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly SyntheticMetrics _metrics;

    public SchedulerSaturationTests() => _metrics = new SyntheticMetrics(_registry, "test");

    private (CheckRunner Runner, SchedulerSaturation Saturation) CreateSut(IEnumerable<ICheck> checks)
    {
        var verdicts = new VerdictPublisher(new VerdictEvaluator(_store, _time, []), _metrics);
        var runner = new CheckRunner(checks, _store, _metrics, verdicts, _time, NullLogger<CheckRunner>.Instance);
        return (runner, new SchedulerSaturation(runner, _store, new SchedulerMetrics(_registry), _time));
    }

    private List<ScriptedCheck> Checks(int count) => [.. Enumerable.Range(0, count).Select(i => new ScriptedCheck("t" + i, "health", _time, Interval))];

    [Fact]
    public async Task Evaluate_EveryCheckFiredOnTime_NotLateNotSaturated()
    {
        var checks = Checks(3);
        var (runner, saturation) = CreateSut(checks);

        for (var round = 0; round < 5; round++)
        {
            foreach (var check in checks)
            {
                await runner.RunAsync(check.Target + "/health", _time.GetUtcNow(), CancellationToken.None);
            }

            _time.Advance(Interval);
        }

        var snapshot = saturation.Evaluate();
        Assert.Equal(0, snapshot.LateChecks);
        Assert.False(snapshot.Saturated);
        Assert.Equal(3, snapshot.Checks);
    }

    [Fact]
    public async Task Evaluate_TriggerMisfired_LateUntilAnIntervalPlusGraceWithoutAnother()
    {
        var checks = Checks(1);
        var (runner, saturation) = CreateSut(checks);
        await runner.RunAsync("t0/health", _time.GetUtcNow(), CancellationToken.None);

        runner.Misfired("t0/health");
        Assert.Equal(1, saturation.Evaluate().LateChecks);

        // Fired on time since, and no misfire for an interval plus the grace: on schedule again.
        for (var elapsed = TimeSpan.Zero; elapsed <= Interval + SchedulerSaturation.Grace; elapsed += Interval)
        {
            _time.Advance(Interval);
            await runner.RunAsync("t0/health", _time.GetUtcNow(), CancellationToken.None);
        }

        Assert.Equal(0, saturation.Evaluate().LateChecks);
    }

    [Fact]
    public async Task Evaluate_OneCheckNotFiredForAnIntervalPlusGrace_LateAndSaturatedInMetrics()
    {
        var checks = Checks(3);
        var (runner, saturation) = CreateSut(checks);
        _time.Advance(Interval + SchedulerSaturation.Grace - TimeSpan.FromSeconds(1));
        await runner.RunAsync("t0/health", _time.GetUtcNow(), CancellationToken.None);
        await runner.RunAsync("t1/health", _time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(0, saturation.Evaluate().LateChecks);

        _time.Advance(TimeSpan.FromSeconds(2));
        saturation.Publish();

        var text = await Export();
        Assert.Equal(1, MetricsText.Value(text, "synthetic_scheduler_late_checks"));
        Assert.Equal(1, MetricsText.Value(text, "synthetic_scheduler_saturated"));
        Assert.Contains("1 of 3 checks behind schedule", saturation.Evaluate().Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_FireCameMoreThanGraceLate_LateUntilAnOnTimeFire()
    {
        var (runner, saturation) = CreateSut(Checks(1));
        var due = _time.GetUtcNow();
        _time.Advance(SchedulerSaturation.Grace + TimeSpan.FromSeconds(1));

        await runner.RunAsync("t0/health", due, CancellationToken.None);
        Assert.Equal(1, saturation.Evaluate().LateChecks);

        await runner.RunAsync("t0/health", _time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(0, saturation.Evaluate().LateChecks);
    }

    [Fact]
    public async Task Evaluate_SkippedFiresOfASlowTarget_AreFiresNotLateness()
    {
        var check = new ScriptedCheck("t0", "health", _time, Interval);
        var hang = new TaskCompletionSource<ProbeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        check.Next = _ => hang.Task;
        var (runner, saturation) = CreateSut([check]);

        var first = runner.RunAsync("t0/health", _time.GetUtcNow(), CancellationToken.None);
        for (var i = 0; i < 6; i++)
        {
            _time.Advance(Interval);
            await runner.RunAsync("t0/health", _time.GetUtcNow(), CancellationToken.None);
        }

        var snapshot = saturation.Evaluate();
        Assert.Equal(0, snapshot.LateChecks);
        Assert.Equal(1, snapshot.RunsInFlight);
        hang.SetResult(check.Result(Outcome.Success));
        await first;
        Assert.Equal(0, saturation.Evaluate().RunsInFlight);
    }

    [Fact]
    public void Evaluate_SaturatedRule_NeedsOnePercentOfTheChecks()
    {
        var (runner, saturation) = CreateSut(Checks(300));
        _time.Advance(TimeSpan.FromSeconds(1));
        // No check fires: all 300 late, saturated; then all but two fire: 2 late < 3 (1 % of 300), not saturated.
        _time.Advance(Interval + SchedulerSaturation.Grace);
        Assert.True(saturation.Evaluate() is { Saturated: true, LateChecks: 300 });

        foreach (var check in runner.Scheduled.Skip(2))
        {
            check.Fired(_time.GetUtcNow(), _time.GetUtcNow());
        }

        Assert.True(saturation.Evaluate() is { Saturated: false, LateChecks: 2 });
    }

    [Fact]
    public async Task RunAsync_FireDueBeforeARunThatAlreadyStarted_IsShedAndCountedButTheCheckKeepsRunning()
    {
        var check = new ScriptedCheck("t0", "health", _time, Interval);
        var (runner, _) = CreateSut([check]);
        var staleDue = _time.GetUtcNow();
        _time.Advance(Interval * 2);

        // The fire due now runs first (it reached the runner first); the older one queued behind it adds nothing.
        await runner.RunAsync("t0/health", _time.GetUtcNow() - TimeSpan.FromSeconds(1), CancellationToken.None);
        await runner.RunAsync("t0/health", staleDue, CancellationToken.None);
        _time.Advance(Interval);
        await runner.RunAsync("t0/health", _time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(2, check.Runs);
        Assert.Equal(1, Interlocked.Read(ref _store.Get("t0", "health")!.Skipped));
    }

    [Fact]
    public void Evaluate_ClusterStoreHasAnotherNodesRecentResult_NotLateUntilTwoIntervalsWithoutOne()
    {
        var shared = new SharedStore(_store);
        var check = new ScriptedCheck("t0", "health", _time, Interval);
        var verdicts = new VerdictPublisher(new VerdictEvaluator(shared, _time, []), _metrics);
        var runner = new CheckRunner([check], shared, _metrics, verdicts, _time, NullLogger<CheckRunner>.Instance);
        var saturation = new SchedulerSaturation(runner, shared, new SchedulerMetrics(_registry), _time);

        // This node never fires the check; another node ran it and its result reached the shared store.
        _time.Advance(Interval * 3);
        shared.Add(check.Result(Outcome.Success));
        _time.Advance(Interval * 2);
        Assert.Equal(0, saturation.Evaluate().LateChecks);

        _time.Advance(SchedulerSaturation.Grace + TimeSpan.FromSeconds(2));
        Assert.Equal(1, saturation.Evaluate().LateChecks);
    }

    /// <summary>Stands for the cluster's store: any store but the in-memory one may hold runs of other nodes.</summary>
    private sealed class SharedStore(InMemoryResultStore inner) : IResultStore
    {
        public IEnumerable<CheckState> All => inner.All;

        public DateTimeOffset? LastCompletion => inner.LastCompletion;

        public void Register(string target, string probe, TimeSpan interval) => inner.Register(target, probe, interval);

        public CheckState? Get(string target, string probe) => inner.Get(target, probe);

        public void Add(ProbeResult result) => inner.Add(result);
    }

    private async Task<string> Export()
    {
        using var stream = new MemoryStream();
        await _metrics.ExportAsync(stream, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
