namespace Synthetic.Scheduling;

/// <summary>
/// The clock Quartz schedules by when the monitor runs on the system clock: UTC in whole milliseconds that step exactly
/// when the runtime's timers do (<see cref="Environment.TickCount64"/>), re-anchored on the wall clock when the two drift
/// apart by more than <see cref="MaxDrift"/>. Quartz sleeps until a trigger's fire time with a timer of whole milliseconds;
/// on the plain system clock the fraction of a millisecond it dropped woke it just before the fire time, so it slept a
/// second time, about 0.6 extra wake-ups (and thread-pool work items) per probe. On this clock the timer's milliseconds
/// and the clock's are the same ones, so one sleep ends at the fire time. Fire times are whole milliseconds too
/// (<see cref="CheckScheduler"/>).
/// </summary>
internal sealed class SchedulerClock : TimeProvider
{
    /// <summary>How far this clock may drift from the wall clock (NTP slewing, a clock step) before it is re-anchored.</summary>
    internal static readonly TimeSpan MaxDrift = TimeSpan.FromMilliseconds(5);

    private readonly TimeProvider _wall;
    private readonly Func<long> _ticks;
    private Anchor _anchor;

    public SchedulerClock()
        : this(System, static () => Environment.TickCount64)
    {
    }

    /// <param name="wall">The wall clock followed.</param>
    /// <param name="ticks">Milliseconds of the monotonic clock the runtime's timers count (tests pass their own).</param>
    internal SchedulerClock(TimeProvider wall, Func<long> ticks)
    {
        _wall = wall;
        _ticks = ticks;
        _anchor = new Anchor(WholeMilliseconds(wall.GetUtcNow()), ticks());
    }

    public override DateTimeOffset GetUtcNow()
    {
        var ticks = _ticks();
        var anchor = _anchor;
        var now = anchor.Utc.AddMilliseconds(ticks - anchor.Ticks);
        var wall = _wall.GetUtcNow();
        if ((wall - now).Duration() > MaxDrift)
        {
            anchor = new Anchor(WholeMilliseconds(wall), ticks);
            _anchor = anchor;
            now = anchor.Utc;
        }

        return now;
    }

    /// <summary><paramref name="time"/> rounded down to a whole millisecond.</summary>
    public static DateTimeOffset WholeMilliseconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    private sealed record Anchor(DateTimeOffset Utc, long Ticks);
}
