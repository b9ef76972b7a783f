using Microsoft.Extensions.Time.Testing;
using Synthetic.Scheduling;

namespace Synthetic.Tests.Scheduling;

public sealed class SchedulerClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void GetUtcNow_WallClockWithFraction_WholeMillisecondsThatStepWithTheTicks()
    {
        var wall = new FakeTimeProvider(Start.AddTicks(4_567));
        long ticks = 1_000;
        var clock = new SchedulerClock(wall, () => ticks);

        var first = clock.GetUtcNow();
        ticks += 75;
        wall.Advance(TimeSpan.FromMilliseconds(75));
        var second = clock.GetUtcNow();

        Assert.Equal(Start, first);
        Assert.Equal(Start.AddMilliseconds(75), second);
        Assert.Equal(0, second.UtcTicks % TimeSpan.TicksPerMillisecond);
    }

    [Fact]
    public void GetUtcNow_WallClockSameMillisecondButTickNotYet_StaysOnTheTick()
    {
        var wall = new FakeTimeProvider(Start);
        long ticks = 50;
        var clock = new SchedulerClock(wall, () => ticks);

        wall.Advance(TimeSpan.FromTicks(9_000));

        Assert.Equal(Start, clock.GetUtcNow());
    }

    [Fact]
    public void GetUtcNow_DriftBeyondMax_ReAnchorsOnTheWallClock()
    {
        var wall = new FakeTimeProvider(Start);
        long ticks = 0;
        var clock = new SchedulerClock(wall, () => ticks);

        ticks += 1_000;
        wall.Advance(TimeSpan.FromMilliseconds(1_000) + SchedulerClock.MaxDrift + TimeSpan.FromMilliseconds(3.5));
        var jumped = clock.GetUtcNow();
        ticks += 10;
        wall.Advance(TimeSpan.FromMilliseconds(10));
        var after = clock.GetUtcNow();

        Assert.Equal(SchedulerClock.WholeMilliseconds(Start.AddMilliseconds(1_000) + SchedulerClock.MaxDrift + TimeSpan.FromMilliseconds(3.5)), jumped);
        Assert.Equal(jumped.AddMilliseconds(10), after);
    }

    [Fact]
    public void WholeMilliseconds_TimeWithFraction_RoundedDown()
    {
        var time = Start.AddTicks(9_999);

        Assert.Equal(Start, SchedulerClock.WholeMilliseconds(time));
    }
}
