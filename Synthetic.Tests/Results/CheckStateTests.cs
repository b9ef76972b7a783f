using Synthetic.Results;

namespace Synthetic.Tests.Results;

public sealed class CheckStateTests
{
    [Fact]
    public void Add_MoreRunsThanHistoryLength_KeepsOutcomesAndDurationsOfTheSameLastRuns()
    {
        var state = new CheckState("t", "health", TimeSpan.FromSeconds(1));
        for (var i = 1; i <= IResultStore.HistoryLength + 3; i++)
        {
            state.Add(new ProbeResult("t", "health", i % 2 == 0 ? Outcome.Failure : Outcome.Success, null, string.Empty, DateTimeOffset.UnixEpoch,
                TimeSpan.FromMilliseconds(i), 1, 200, PhaseTimings.None));
        }

        Assert.Equal(IResultStore.HistoryLength, state.History.Count);
        Assert.Equal(Enumerable.Range(4, IResultStore.HistoryLength).Select(i => (double)i), state.LatencyHistory);
        Assert.Equal(Outcome.Failure, state.History[0]);
    }
}
