using Microsoft.Extensions.Logging;
using Synthetic.Scheduling;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Scheduling;

public sealed class ChangeLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly CapturingLoggerProvider _logs = new();

    private ChangeLog CreateSut()
    {
        using var factory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Information));
        return new ChangeLog(factory.CreateLogger<ChangeLogTests>());
    }

    [Fact]
    public void Take_FewChanges_EveryOneHasItsLine()
    {
        var sut = CreateSut();
        Assert.All(Enumerable.Range(0, 5), i => Assert.True(sut.Take(failure: i % 2 == 0, Start.AddSeconds(i))));
        Assert.Empty(_logs.Lines);
    }

    [Fact]
    public void Take_AFloodOfChanges_BoundedLinesThenOneSummaryWithTheCounts()
    {
        var sut = CreateSut();
        var taken = Enumerable.Range(0, 3000).Count(i => sut.Take(failure: i % 3 != 0, Start.AddMilliseconds(i * 10)));
        Assert.Equal(ChangeLog.LinesPerWindow, taken);
        Assert.Empty(_logs.Lines);

        // The next change after the window closes it: one summary, then a fresh budget.
        Assert.True(sut.Take(failure: true, Start + ChangeLog.Window + TimeSpan.FromSeconds(1)));
        var summary = Assert.Single(_logs.Lines);
        Assert.Contains("2000 failures and 1000 recoveries", summary, StringComparison.Ordinal);
        Assert.Contains($"{3000 - ChangeLog.LinesPerWindow} of those lines not logged", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Take_WindowWithinBudget_NoSummary()
    {
        var sut = CreateSut();
        for (var i = 0; i < ChangeLog.LinesPerWindow; i++)
        {
            Assert.True(sut.Take(failure: true, Start));
        }

        Assert.True(sut.Take(failure: false, Start + ChangeLog.Window));
        Assert.Empty(_logs.Lines);
    }
}
