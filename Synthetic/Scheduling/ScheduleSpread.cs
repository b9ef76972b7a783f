namespace Synthetic.Scheduling;

/// <summary>Spreads the first runs of checks sharing an interval evenly over that interval.</summary>
internal static class ScheduleSpread
{
    /// <summary>The offset of the <paramref name="index"/>-th of <paramref name="count"/> checks: in [0, interval), evenly apart.</summary>
    public static TimeSpan Offset(TimeSpan interval, int index, int count) =>
        count <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(interval.Ticks * index / count);
}
