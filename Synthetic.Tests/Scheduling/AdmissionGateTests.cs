using Microsoft.Extensions.Time.Testing;
using Synthetic.Scheduling;

namespace Synthetic.Tests.Scheduling;

/// <summary>The admission gate: a counter below its limit, a queue in order of arrival above it, a limit that follows the monitor's CPU and I/O delay.</summary>
public sealed class AdmissionGateTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedLoad _load = new();

    private AdmissionGate CreateSut(int min = 1, int free = 2, int max = 100) => new(min, free, max, _load, _time);

    [Fact]
    public async Task EnterAsync_BelowTheLimit_AdmitsAtOnceAndNeverReadsTheLoad()
    {
        using var sut = CreateSut(free: 2);

        Assert.True(sut.EnterAsync(CancellationToken.None).AsTask().IsCompletedSuccessfully);
        Assert.True(sut.EnterAsync(CancellationToken.None).AsTask().IsCompletedSuccessfully);
        sut.Exit();
        await sut.EnterAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(2, sut.Running);
        Assert.Equal(0, _load.Samples);
    }

    [Fact]
    public async Task EnterAsync_AtTheLimit_WaitsAndIsAdmittedInOrderOfArrival()
    {
        using var sut = CreateSut(free: 1);
        await sut.EnterAsync(CancellationToken.None);
        var order = new List<int>();
        var second = sut.EnterAsync(CancellationToken.None).AsTask().ContinueWith(_ => { lock (order) { order.Add(2); } }, TaskScheduler.Default);
        var third = sut.EnterAsync(CancellationToken.None).AsTask().ContinueWith(_ => { lock (order) { order.Add(3); } }, TaskScheduler.Default);
        Assert.Equal(2, sut.Queued);

        sut.Exit();
        await second;
        Assert.Equal(1, sut.Queued);
        Assert.False(third.IsCompleted);
        sut.Exit();
        await third;

        Assert.Equal([2, 3], order);
        Assert.Equal(1, sut.Running);
        Assert.Equal(2, sut.AdmittedAfterWait);
    }

    [Fact]
    public async Task TryEnter_RoomOrNot_AdmitsOnlyWhileBelowTheLimitAndNoneWaits()
    {
        using var sut = CreateSut(free: 2);

        Assert.True(sut.TryEnter());
        Assert.True(sut.TryEnter());
        Assert.False(sut.TryEnter());
        Assert.Equal(2, sut.Running);
        var waiting = sut.EnterAsync(CancellationToken.None);
        sut.Exit();
        // The slot went to the run that waited, not to a later try.
        await waiting;
        Assert.False(sut.TryEnter());
        sut.Exit();
        sut.Exit();
        Assert.True(sut.TryEnter());
        Assert.Equal(1, sut.Running);
        Assert.Equal(0, sut.Queued);
    }

    [Fact]
    public async Task TryEnter_ARunWaits_RefusesEvenWithRoomSoArrivalOrderHolds()
    {
        using var sut = CreateSut(free: 1);
        Assert.True(sut.TryEnter());
        var waiting = sut.EnterAsync(CancellationToken.None);
        var scrape = sut.Yield();

        // A scrape holds the waiting run back: the slot is free, but the run that waited comes first.
        sut.Exit();
        Assert.Equal(0, sut.Running);
        Assert.False(sut.TryEnter());
        scrape.Dispose();
        await waiting;
        Assert.Equal(1, sut.Running);
        Assert.Equal(0, sut.Queued);
    }

    [Fact]
    public async Task EnterAsync_CancelledWhileWaiting_ThrowsAndHoldsNoSlot()
    {
        using var sut = CreateSut(free: 1);
        await sut.EnterAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var waiting = sut.EnterAsync(stop.Token).AsTask();
        var next = sut.EnterAsync(CancellationToken.None).AsTask();

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        sut.Exit();
        await next;

        Assert.Equal(1, sut.Running);
        Assert.Equal(0, sut.Queued);
    }

    [Fact]
    public async Task Tick_CpuFull_ShrinksTheLimitToItsFloorAndRunsWaitLonger()
    {
        using var sut = CreateSut(min: 2, free: 8);
        var waiters = await FillAsync(sut, running: 8, waiting: 10);
        _load.Busy = 1.0;
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(AdmissionGate.Tick);
        }

        Assert.Equal(2, sut.Limit);
        for (var i = 0; i < 7; i++)
        {
            sut.Exit();
        }

        // Eight ran, seven finished: one runs, one more may start, the rest wait for the CPU.
        await Task.WhenAny(waiters);
        Assert.Equal(2, sut.Running);
        Assert.Equal(9, sut.Queued);
    }

    [Fact]
    public async Task Tick_IoLateWhileCpuHasRoom_ShrinksTheLimit()
    {
        using var sut = CreateSut(min: 1, free: 4);
        for (var i = 0; i < 5; i++)
        {
            _ = sut.EnterAsync(CancellationToken.None).AsTask();
        }

        _load.Busy = 0.3;
        _load.Lag = TimeSpan.FromMilliseconds(200);
        _time.Advance(AdmissionGate.Tick);

        Assert.Equal(3, sut.Limit);
        Assert.Equal(4, sut.Running);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Tick_RunsWaitAndTheMonitorHasRoom_GrowsUntilAllAreAdmitted()
    {
        // Slow targets: runs in flight but no CPU used and no delay, so the limit grows to what they need.
        using var sut = CreateSut(min: 1, free: 4, max: 1000);
        var runs = Enumerable.Range(0, 300).Select(_ => sut.EnterAsync(CancellationToken.None).AsTask()).ToList();
        _load.Busy = 0.1;
        for (var i = 0; i < 40 && sut.Queued > 0; i++)
        {
            _time.Advance(AdmissionGate.Tick);
        }

        await Task.WhenAll(runs);
        Assert.Equal(300, sut.Running);
        Assert.InRange(sut.Limit, 300, 1000);
    }

    [Fact]
    public async Task Yield_RunsWaiting_AdmitsNoneThenNoMoreThanTheFloorUntilTheScopeEnds()
    {
        // Busy enough that the ticks while the clock advances keep the limit where it is.
        _load.Busy = 0.9;
        using var sut = CreateSut(min: 1, free: 3);
        var waiters = await FillAsync(sut, running: 3, waiting: 4);
        using (sut.Yield())
        {
            sut.Exit();
            sut.Exit();
            // Two finished, the limit is 3, but a scrape has just started: no run is admitted.
            Assert.Equal(1, sut.Running);
            Assert.Equal(4, sut.Queued);

            // Past the full yield: one run at a time.
            _time.Advance(AdmissionGate.FullYield);
            sut.Exit();
            Assert.Equal(1, sut.Running);
            Assert.Equal(3, sut.Queued);
        }

        Assert.Equal(3, sut.Running);
        Assert.Equal(1, sut.Queued);
        await Task.WhenAll(waiters.Take(3));
    }

    [Fact]
    public async Task Yield_Overlapping_ShareOneFullYieldFromTheFirstStart()
    {
        using var sut = CreateSut(min: 1, free: 2);
        var waiters = await FillAsync(sut, running: 2, waiting: 2);
        var first = sut.Yield();
        _time.Advance(AdmissionGate.FullYield / 2);
        using (sut.Yield())
        {
            first.Dispose();
            sut.Exit();
            Assert.Equal(1, sut.Running);
            Assert.Equal(2, sut.Queued);

            // The second scrape is only half a full yield old, but the first one started the yield: one at a time now.
            _time.Advance(AdmissionGate.FullYield / 2);
            sut.Exit();
            Assert.Equal(1, sut.Running);
            Assert.Equal(1, sut.Queued);
        }

        await waiters[0];
    }

    [Fact]
    public async Task Yield_NothingWaiting_AdmitsUpToTheLimit()
    {
        using var sut = CreateSut(min: 1, free: 3);
        using (sut.Yield())
        {
            for (var i = 0; i < 3; i++)
            {
                await sut.EnterAsync(CancellationToken.None);
            }
        }

        Assert.Equal(3, sut.Running);
    }

    [Theory]
    [InlineData(100, 0.99, 0, true, 75)]
    [InlineData(3, 0.99, 0, true, 2)]
    [InlineData(100, 0.5, 30, false, 75)]
    [InlineData(100, 0.5, 0, true, 125)]
    [InlineData(100, 0.5, 0, false, 100)]
    [InlineData(100, 0.9, 0, true, 100)]
    [InlineData(100, 0.5, 10, true, 100)]
    [InlineData(900, 0.5, 0, true, 1000)]
    public void NextLimit_BusyLagAndWaits_FollowsTheRule(int limit, double busy, int lagMs, bool waited, int expected)
    {
        Assert.Equal(expected, AdmissionGate.NextLimit(limit, busy, TimeSpan.FromMilliseconds(lagMs), waited, min: 2, max: 1000));
    }

    [Fact]
    public async Task Ticks_StopOnceTheGateIsIdleAgain()
    {
        using var sut = CreateSut(free: 1);
        await sut.EnterAsync(CancellationToken.None);
        var waiting = sut.EnterAsync(CancellationToken.None).AsTask();
        sut.Exit();
        await waiting;
        sut.Exit();
        _time.Advance(AdmissionGate.Tick);
        var samples = _load.Samples;

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(samples, _load.Samples);
    }

    /// <summary>Admits <paramref name="running"/> runs, then queues <paramref name="waiting"/> more; returns the waiting ones.</summary>
    private static async Task<List<Task>> FillAsync(AdmissionGate sut, int running, int waiting)
    {
        for (var i = 0; i < running; i++)
        {
            await sut.EnterAsync(CancellationToken.None);
        }

        return [.. Enumerable.Range(0, waiting).Select(_ => sut.EnterAsync(CancellationToken.None).AsTask())];
    }

    private sealed class ScriptedLoad : IMonitorLoad
    {
        public double Busy { get; set; }

        public TimeSpan Lag { get; set; }

        public int Samples { get; private set; }

        public (double Busy, TimeSpan Lag) Sample()
        {
            Samples++;
            return (Busy, Lag);
        }
    }
}
