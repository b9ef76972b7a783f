using Microsoft.Extensions.Time.Testing;
using Synthetic.Scheduling;

namespace Synthetic.Tests.Scheduling;

/// <summary>The thread-pool ping, its delay bookkeeping, and how the gate weighs it against the socket engine's.</summary>
public sealed class ThreadPoolLagTests
{
    [Fact]
    public async Task Ping_OnThePool_MeasuresADelayAndAnswersEveryPing()
    {
        var sut = new ThreadPoolLag();
        Assert.Equal(TimeSpan.Zero, sut.Current);

        for (var i = 0; i < 5; i++)
        {
            sut.Ping();
            var answered = await WaitUntilAsync(() => !sut.Pending);
            Assert.True(answered, $"ping {i} was not answered within 10 s");
        }

        Assert.InRange(sut.Current, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void PingDelay_CountsAPendingPingWithItsWaitAndKeepsTheLastDelay()
    {
        var time = new FakeTimeProvider();
        var sut = new PingDelay(time);

        Assert.True(sut.TryStart());
        Assert.False(sut.TryStart());
        time.Advance(TimeSpan.FromMilliseconds(7));
        Assert.Equal(TimeSpan.FromMilliseconds(7), sut.Current);
        sut.Arrive();
        Assert.False(sut.Pending);
        Assert.Equal(TimeSpan.FromMilliseconds(7), sut.Current);

        // A shorter ping still on its way does not hide the last delay; a longer one counts as it grows.
        Assert.True(sut.TryStart());
        time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Equal(TimeSpan.FromMilliseconds(7), sut.Current);
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(TimeSpan.FromMilliseconds(12), sut.Current);
        sut.Cancel();
        Assert.False(sut.Pending);
        Assert.Equal(TimeSpan.FromMilliseconds(7), sut.Current);
    }

    [Theory]
    [InlineData(3, 0, 3)]
    [InlineData(3, 1, 5)]
    [InlineData(30, 1, 30)]
    [InlineData(0, 6, 30)]
    public void Lag_CountsThePoolAtEveryWorkItemOfAProbe(int ioMs, int poolMs, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), SystemMonitorLoad.Lag(TimeSpan.FromMilliseconds(ioMs), TimeSpan.FromMilliseconds(poolMs)));

    private static async Task<bool> WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        return condition();
    }
}
