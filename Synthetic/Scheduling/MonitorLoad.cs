namespace Synthetic.Scheduling;

/// <summary>What the admission gate reads each tick: how busy the monitor's CPU was since the previous sample (0–1) and how late it handles ready I/O.</summary>
internal interface IMonitorLoad
{
    (double Busy, TimeSpan Lag) Sample();
}

/// <summary>
/// The process's CPU time over the cores it may use (<see cref="Environment.ProcessorCount"/> follows a container's CPU
/// limit), and <see cref="EventLoopLag"/>: the first says the monitor has no CPU left, the second that its probes wait
/// for it, whatever takes the CPU (the monitor, a target or a neighbour on the same machine).
/// </summary>
internal sealed class SystemMonitorLoad(TimeProvider? time = null) : IMonitorLoad, IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly EventLoopLag _lag = new(time);
    private long _timestamp;
    private TimeSpan _cpu;

    public (double Busy, TimeSpan Lag) Sample()
    {
        var now = _time.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        var wall = _timestamp == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_timestamp, now);
        var busy = wall > TimeSpan.Zero ? Math.Clamp((cpu - _cpu) / (wall * Environment.ProcessorCount), 0, 1) : 0;
        (_timestamp, _cpu) = (now, cpu);
        var lag = _lag.Current;
        _lag.Ping();
        return (busy, lag);
    }

    public void Dispose() => _lag.Dispose();
}
