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

/// <summary>Skipped runs are logged as changes of state and a summary per minute, never a line per skip; every skip is still counted.</summary>
public sealed class SkipLogTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly InMemoryResultStore _store = new();
    private readonly SyntheticMetrics _metrics = new(Prometheus.Metrics.NewCustomRegistry(), "test");
    private readonly CapturingLoggerProvider _logs = new();

    private CheckRunner CreateSut(IEnumerable<ICheck> checks)
    {
        var verdicts = new VerdictPublisher(new VerdictEvaluator(_store, _time, []), _metrics);
        using var factory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Information));
        return new CheckRunner(checks, _store, _metrics, verdicts, _time, factory.CreateLogger<CheckRunner>());
    }

    private static List<ScriptedCheck> Checks(int count, TimeProvider time) =>
        [.. Enumerable.Range(0, count).Select(i => new ScriptedCheck("t" + i, "health", time))];

    private List<string> SkipLines() => [.. _logs.Lines.Where(l => l.Contains("CheckRunner[102]", StringComparison.Ordinal)
        || l.Contains("CheckRunner[105]", StringComparison.Ordinal) || l.Contains("CheckRunner[106]", StringComparison.Ordinal))];

    [Fact]
    public void Misfired_HundredsAcrossFiftyChecksInAMinute_LogsABoundedNumberOfLinesAndCountsEverySkip()
    {
        var checks = Checks(50, _time);
        var sut = CreateSut(checks);

        for (var round = 0; round < 10; round++)
        {
            foreach (var check in checks)
            {
                sut.Misfired(check.Target + "/health");
            }

            _time.Advance(TimeSpan.FromSeconds(5));
        }

        // 500 skips within 50 s: the per-check budget only, the summary comes when the window closes.
        var lines = SkipLines();
        Assert.Equal(SkipLog.CheckLinesPerWindow, lines.Count);
        Assert.All(lines, l => Assert.Contains("the trigger misfired", l, StringComparison.Ordinal));
        var text = VerdictEvaluatorTests.Export(_metrics);
        Assert.All(checks, c => Assert.Equal(10, MetricsText.Value(text, "synthetic_probe_skipped_total", ("target", c.Target), ("probe", "health"))));
        Assert.All(checks, c => Assert.Equal(10, Interlocked.Read(ref _store.Get(c.Target, "health")!.Skipped)));
    }

    [Fact]
    public void Misfired_TenMinutesOfSkips_AtMostOneSummaryLinePerMinuteWithTheCounts()
    {
        var checks = Checks(20, _time);
        var sut = CreateSut(checks);

        for (var second = 0; second < 600; second++)
        {
            sut.Misfired(checks[second % checks.Count].Target + "/health");
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var summaries = _logs.Lines.Where(l => l.Contains("CheckRunner[106]", StringComparison.Ordinal)).ToList();
        // Windows of 60 s: the first closes at the 61st skip, then every 60 s; the last is still open.
        Assert.Equal(9, summaries.Count);
        Assert.All(summaries, l => Assert.Contains("60 runs skipped across 20 checks in the last 60 s", l, StringComparison.Ordinal));
        Assert.True(SkipLines().Count <= 10 * (SkipLog.CheckLinesPerWindow + 1), string.Join('\n', SkipLines()));
        Assert.Equal(600, checks.Sum(c => Interlocked.Read(ref _store.Get(c.Target, "health")!.Skipped)));
    }

    [Fact]
    public async Task RunAsync_AfterAStreakOfSkips_LogsOneLineWithTheCountWhenTheCheckRunsAgain()
    {
        var check = new ScriptedCheck("t", "health", _time);
        var sut = CreateSut([check]);
        await sut.RunAsync("t/health", null, CancellationToken.None);

        for (var i = 0; i < 7; i++)
        {
            sut.Misfired("t/health");
        }

        await sut.RunAsync("t/health", null, CancellationToken.None);
        await sut.RunAsync("t/health", null, CancellationToken.None);

        var lines = SkipLines();
        Assert.True(lines.Count == 2, string.Join('\n', lines));
        Assert.Contains("t/health: run skipped: the trigger misfired", lines[0], StringComparison.Ordinal);
        Assert.Contains("t/health: runs again after 7 skipped runs", lines[1], StringComparison.Ordinal);
        Assert.Equal(3, check.Runs);
    }

    [Fact]
    public async Task RunAsync_SteadyStateWithoutSkips_LogsNoSkipOrSummaryLine()
    {
        var check = new ScriptedCheck("t", "health", _time);
        var sut = CreateSut([check]);

        for (var i = 0; i < 200; i++)
        {
            await sut.RunAsync("t/health", _time.GetUtcNow(), CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(15));
        }

        Assert.Empty(SkipLines());
        Assert.DoesNotContain(_logs.Lines, l => l.StartsWith("Information", StringComparison.Ordinal) || l.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Equal(200, check.Runs);
    }
}
