using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Synthetic.Checks;
using Synthetic.Metrics;
using Synthetic.Results;
using Synthetic.Scheduling;
using Synthetic.Tests.Support;
using Synthetic.Tests.Verdicts;
using Synthetic.Verdicts;

namespace Synthetic.Tests.Scheduling;

/// <summary>What happens when a trigger fires: overlap and back-off skips, crash containment, state-change logging, verdicts.</summary>
public sealed class CheckRunnerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly InMemoryResultStore _store = new();
    private readonly SyntheticMetrics _metrics = new(Prometheus.Metrics.NewCustomRegistry(), "test");
    private readonly CapturingLoggerProvider _logs = new();

    private CheckRunner CreateSut(params ICheck[] checks)
    {
        var verdicts = new VerdictPublisher(new VerdictEvaluator(_store, _time, ["t"]), _metrics);
        using var factory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        return new CheckRunner(checks, _store, _metrics, verdicts, _time, factory.CreateLogger<CheckRunner>());
    }

    [Fact]
    public async Task RunAsync_PreviousRunStillGoing_SkipsAndCountsInStateAndMetric()
    {
        var check = new ScriptedCheck("t", "health", _time);
        var gate = new TaskCompletionSource<ProbeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        check.Next = _ => gate.Task;
        var sut = CreateSut(check);

        var first = sut.RunAsync("t/health", null, CancellationToken.None);
        await sut.RunAsync("t/health", null, CancellationToken.None);
        gate.SetResult(check.Result(Outcome.Success));
        await first;

        var state = _store.Get("t", "health")!;
        Assert.Equal(1, Interlocked.Read(ref state.Skipped));
        Assert.Equal(1, check.Runs);
        Assert.Equal(1, MetricsText.Value(VerdictEvaluatorTests.Export(_metrics), "synthetic_probe_skipped_total", ("target", "t"), ("probe", "health")));
        Assert.Contains(_logs.Lines, l => l.Contains("previous run still in progress", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_TargetAskedToBackOff_SkipsUntilThenRunsAgain()
    {
        var check = new ScriptedCheck("t", "transcription", _time);
        check.Next = c => Task.FromResult(c.Result(Outcome.Failure, Reasons.RateLimited) with { RetryAfter = TimeSpan.FromSeconds(30) });
        var sut = CreateSut(check);

        await sut.RunAsync("t/transcription", null, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(20));
        await sut.RunAsync("t/transcription", null, CancellationToken.None);
        Assert.Equal(1, check.Runs);

        _time.Advance(TimeSpan.FromSeconds(11));
        await sut.RunAsync("t/transcription", null, CancellationToken.None);
        Assert.Equal(2, check.Runs);
        Assert.Equal(1, Interlocked.Read(ref _store.Get("t", "transcription")!.Skipped));
    }

    [Fact]
    public async Task RunAsync_CheckThrows_RecordsFailureAndKeepsRunning()
    {
        var check = new ScriptedCheck("t", "health", _time) { Next = _ => throw new InvalidOperationException("boom") };
        var sut = CreateSut(check);

        await sut.RunAsync("t/health", null, CancellationToken.None);

        var latest = _store.Get("t", "health")!.Latest!;
        Assert.Equal(Outcome.Failure, latest.Outcome);
        Assert.Contains("InvalidOperationException", latest.Detail, StringComparison.Ordinal);
        Assert.False(_store.Get("t", "health")!.IsRunning);
    }

    [Fact]
    public async Task RunAsync_FailuresThenRecovery_LogsOnlyTheChanges()
    {
        var check = new ScriptedCheck("t", "health", _time);
        var sut = CreateSut(check);
        var outcomes = new[] { Outcome.Success, Outcome.Failure, Outcome.Failure, Outcome.Failure, Outcome.Success, Outcome.Success };

        foreach (var outcome in outcomes)
        {
            check.Next = c => Task.FromResult(c.Result(outcome, outcome == Outcome.Failure ? Reasons.Http5xx : null));
            await sut.RunAsync("t/health", null, CancellationToken.None);
        }

        Assert.Single(_logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("failure (http_5xx)", StringComparison.Ordinal));
        Assert.Single(_logs.Lines, l => l.Contains("recovered", StringComparison.Ordinal));
        Assert.Equal(outcomes, _store.Get("t", "health")!.History);
    }

    [Fact]
    public async Task RunAsync_ShutdownCancelsTheRun_RecordsNothing()
    {
        using var cts = new CancellationTokenSource();
        var check = new ScriptedCheck("t", "health", _time)
        {
            Next = _ =>
            {
                cts.Cancel();
                throw new OperationCanceledException(cts.Token);
            },
        };
        var sut = CreateSut(check);

        await sut.RunAsync("t/health", null, cts.Token);

        Assert.Null(_store.Get("t", "health")!.Latest);
    }

    [Fact]
    public async Task RunAsync_HealthPassesCanaryFails_PublishesFalsePositive()
    {
        var health = new ScriptedCheck("t", "health", _time) { Next = c => Task.FromResult(c.Result(Outcome.Success)) };
        var canary = new ScriptedCheck("t", "transcription", _time) { Next = c => Task.FromResult(c.Result(Outcome.Failure, Reasons.Http5xx)) };
        var sut = CreateSut(health, canary);

        await sut.RunAsync("t/health", null, CancellationToken.None);
        await sut.RunAsync("t/transcription", null, CancellationToken.None);

        Assert.True(MetricsText.Has(VerdictEvaluatorTests.Export(_metrics), "synthetic_health_false_positive", 1, ("target", "t")));
    }

    [Fact]
    public void Misfired_KnownCheck_CountsASkipInTheState()
    {
        var sut = CreateSut(new ScriptedCheck("t", "health", _time));

        sut.Misfired("t/health");
        sut.Misfired("nope/health");

        Assert.Equal(1, Interlocked.Read(ref _store.Get("t", "health")!.Skipped));
    }
}
