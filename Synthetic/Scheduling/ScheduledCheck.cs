using Synthetic.Checks;

namespace Synthetic.Scheduling;

/// <summary>
/// The runner's view of one check: when its trigger last fired and how late, when a run last started, and the skips
/// since then. Plain fields written with <see cref="Interlocked"/>/<see cref="Volatile"/>: read once per check per
/// scrape, so 10,000 checks cost a loop over longs (no lock, no allocation).
/// </summary>
internal sealed class ScheduledCheck(string key, ICheck check)
{
    public string Key => key;

    public ICheck Check => check;

    /// <summary>UTC ticks of the last time the trigger fired (the job ran, whether it then ran the probe or skipped); 0 before the first.</summary>
    public long LastFiredTicks;

    /// <summary>How late that fire was against its scheduled time, in ticks (early fires count 0).</summary>
    public long LastLagTicks;

    /// <summary>UTC ticks of the last time a run started the probe; 0 before the first.</summary>
    public long LastStartedTicks;

    /// <summary>How long that run waited for admission (<see cref="AdmissionGate"/>) between its fire and its start, in ticks.</summary>
    public long LastAdmissionWaitTicks;

    /// <summary>UTC ticks of the last fire skipped because the previous run was still waiting for admission, or of the last misfire; 0 if none.</summary>
    public long LastShedTicks;

    /// <summary>UTC ticks since a run of this check waits for admission (<see cref="AdmissionGate"/>); 0 while none waits.</summary>
    public long QueuedSinceTicks;

    /// <summary>Skipped runs since the last run started (logged once when the streak starts and once when it ends).</summary>
    public long SkipStreak;

    /// <summary>The <see cref="SkipLog"/> window in which this check last skipped (to count distinct checks without a set).</summary>
    public int SkipWindow = -1;

    /// <summary>The fire of <paramref name="scheduledAt"/> came through at <paramref name="now"/>.</summary>
    public void Fired(DateTimeOffset now, DateTimeOffset? scheduledAt)
    {
        var lag = scheduledAt is { } scheduled && now > scheduled ? (now - scheduled).Ticks : 0;
        Volatile.Write(ref LastLagTicks, lag);
        Volatile.Write(ref LastFiredTicks, now.UtcTicks);
    }

    /// <summary>A run fired at <paramref name="fired"/> started (was admitted) at <paramref name="now"/>.</summary>
    public void Started(DateTimeOffset now, DateTimeOffset fired)
    {
        Volatile.Write(ref LastAdmissionWaitTicks, Math.Max(0, (now - fired).Ticks));
        Volatile.Write(ref LastStartedTicks, now.UtcTicks);
    }

    /// <summary>
    /// The monitor, not the target, holds this check back: a fire of it was skipped within the last interval plus
    /// <paramref name="grace"/> because its previous run still waited for admission or the trigger misfired, or a run of it has waited, or its
    /// last run started after waiting, longer than <paramref name="grace"/> or its interval, whichever is shorter.
    /// </summary>
    public bool HeldBack(long nowTicks, long grace)
    {
        var bound = Math.Min(grace, check.Interval.Ticks);
        var queued = Volatile.Read(ref QueuedSinceTicks);
        var shed = Volatile.Read(ref LastShedTicks);
        return (queued != 0 && nowTicks - queued > bound) || Volatile.Read(ref LastAdmissionWaitTicks) > bound ||
               (shed != 0 && nowTicks - shed <= check.Interval.Ticks + grace);
    }

    /// <summary>The trigger has not fired for an interval plus <paramref name="grace"/> (counted from <paramref name="since"/> before its first fire).</summary>
    public bool NotFiredFor(long nowTicks, long since, long grace)
    {
        var fired = Volatile.Read(ref LastFiredTicks);
        return nowTicks - (fired == 0 ? since : fired) > check.Interval.Ticks + grace;
    }

    /// <summary>The last fire came more than <paramref name="grace"/> after its scheduled time.</summary>
    public bool FiredLate(long grace) => Volatile.Read(ref LastLagTicks) > grace;
}
