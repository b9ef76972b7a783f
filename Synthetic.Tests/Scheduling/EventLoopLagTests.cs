using Synthetic.Scheduling;

namespace Synthetic.Tests.Scheduling;

/// <summary>The loopback ping that times how late the monitor handles ready I/O.</summary>
public sealed class EventLoopLagTests
{
    [Fact]
    public async Task Ping_OverLoopback_MeasuresADelayAndAnswersEveryPing()
    {
        using var sut = new EventLoopLag();
        Assert.Equal(TimeSpan.Zero, sut.Current);

        for (var i = 0; i < 5; i++)
        {
            sut.Ping();
            // The ping is answered when its receive continuation has run: then a new one can be sent.
            var answered = await WaitUntilAsync(() => sut.Pending == false);
            Assert.True(answered, $"ping {i} was not answered within 10 s");
        }

        Assert.InRange(sut.Current, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(10));
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        return condition();
    }
}
