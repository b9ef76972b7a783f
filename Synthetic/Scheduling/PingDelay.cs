namespace Synthetic.Scheduling;

/// <summary>
/// One ping at a time and the delay of the last one: what <see cref="EventLoopLag"/> and <see cref="ThreadPoolLag"/>
/// share. A ping still on its way counts with its wait so far, so a ping that never arrives reads as ever later.
/// </summary>
internal sealed class PingDelay(TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _sentAt;
    private long _lastTicks;

    /// <summary>The last ping's delay, or the wait of one still unanswered if that is longer.</summary>
    public TimeSpan Current
    {
        get
        {
            var last = TimeSpan.FromTicks(Volatile.Read(ref _lastTicks));
            var pending = Volatile.Read(ref _sentAt);
            return pending != 0 && _time.GetElapsedTime(pending) is var waiting && waiting > last ? waiting : last;
        }
    }

    /// <summary>A ping is on its way.</summary>
    public bool Pending => Volatile.Read(ref _sentAt) != 0;

    /// <summary>Marks a ping sent now; false if one is still on its way (then send nothing).</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _sentAt, _time.GetTimestamp(), 0) == 0;

    /// <summary>The ping could not be sent: none is on its way.</summary>
    public void Cancel() => Volatile.Write(ref _sentAt, 0);

    /// <summary>The ping arrived: its delay becomes the last one.</summary>
    public void Arrive()
    {
        var sent = Interlocked.Exchange(ref _sentAt, 0);
        if (sent != 0)
        {
            Volatile.Write(ref _lastTicks, _time.GetElapsedTime(sent).Ticks);
        }
    }
}
