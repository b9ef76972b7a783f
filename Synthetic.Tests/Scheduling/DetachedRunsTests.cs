using Synthetic.Scheduling;

namespace Synthetic.Tests.Scheduling;

/// <summary>The runs that outlive their Quartz jobs: counted while they run, drained at stop, their faults reported.</summary>
public sealed class DetachedRunsTests
{
    private readonly List<Exception> _faults = [];

    [Fact]
    public async Task DrainAsync_RunsInFlight_CompletesWhenTheLastEnds()
    {
        var runs = new DetachedRuns(_faults.Add);
        var one = new TaskCompletionSource();
        var two = new TaskCompletionSource();
        runs.Track(one.Task);
        runs.Track(two.Task);

        var drained = runs.DrainAsync(CancellationToken.None);
        one.SetResult();
        Assert.Equal(1, runs.Count);
        Assert.False(drained.IsCompleted);
        two.SetCanceled();

        await drained.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, runs.Count);
        Assert.Empty(_faults);
        Assert.True(runs.DrainAsync(CancellationToken.None).IsCompletedSuccessfully, "nothing left to wait for");
    }

    [Fact]
    public async Task DrainAsync_GivenUp_EndsWithTheTokenAndTheRunStillCounts()
    {
        var runs = new DetachedRuns(_faults.Add);
        runs.Track(new TaskCompletionSource().Task);
        using var giveUp = new CancellationTokenSource();

        var drained = runs.DrainAsync(giveUp.Token);
        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => drained);
        Assert.Equal(1, runs.Count);
    }

    [Fact]
    public void Track_RunFaults_ReportsTheFaultWhetherEndedAlreadyOrLater()
    {
        var runs = new DetachedRuns(_faults.Add);
        var later = new TaskCompletionSource();
        runs.Track(Task.FromException(new InvalidOperationException("at once")));
        runs.Track(later.Task);

        later.SetException(new TimeoutException("later"));

        Assert.Equal(["at once", "later"], _faults.Select(f => f.Message));
        Assert.Equal(0, runs.Count);
    }
}
