using Synthetic.Scheduling;
using Synthetic.Results;

namespace Synthetic.Tests.Scheduling;

public sealed class ScheduleSpreadTests
{
    [Fact]
    public void Offset_ThousandChecksAt15s_DistinctWithinIntervalAndEvenlyApart()
    {
        var interval = TimeSpan.FromSeconds(15);

        var offsets = Enumerable.Range(0, 1000).Select(i => ScheduleSpread.Offset(interval, i, 1000)).ToList();

        Assert.Equal(1000, offsets.Distinct().Count());
        Assert.Equal(TimeSpan.Zero, offsets.Min());
        Assert.True(offsets.Max() < interval);
        var gaps = offsets.Order().Zip(offsets.Order().Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, gap => Assert.Equal(TimeSpan.FromMilliseconds(15), gap));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 0)]
    public void Offset_SingleOrNoCheck_Zero(int index, int count)
    {
        Assert.Equal(TimeSpan.Zero, ScheduleSpread.Offset(TimeSpan.FromSeconds(15), index, count));
    }
}
