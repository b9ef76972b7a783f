namespace Synthetic.Scheduling;

/// <summary>What the admission gate reads each tick: how busy the monitor's CPU was since the previous sample (0–1) and how late it handles ready I/O.</summary>
internal interface IMonitorLoad
{
    (double Busy, TimeSpan Lag) Sample();
}

/// <summary>
/// The process's CPU time over the cores it may use (<see cref="Environment.ProcessorCount"/> follows a container's CPU
/// limit), and how late probes run: <see cref="EventLoopLag"/> (ready I/O) and <see cref="ThreadPoolLag"/> (queued
/// work). The first says the monitor has no CPU left, the others that its probes wait for it, whatever takes the CPU
/// (the monitor, a target or a neighbour on the same machine), or that more runs in flight only queue behind each other.
/// </summary>
internal sealed class SystemMonitorLoad(TimeProvider? time = null) : IMonitorLoad, IDisposable
{
    /// <summary>A probe's work items on the thread pool (5.08 measured, bench scenario 1): it waits the pool's lag at each.</summary>
    internal const int WorkItemsPerRun = 5;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly EventLoopLag _lag = new(time);
    private readonly ThreadPoolLag _poolLag = new(time);
    private long _timestamp;
    private TimeSpan _cpu;

    public (double Busy, TimeSpan Lag) Sample()
    {
        var now = _time.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        var wall = _timestamp == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_timestamp, now);
        var busy = wall > TimeSpan.Zero ? Math.Clamp((cpu - _cpu) / (wall * Environment.ProcessorCount), 0, 1) : 0;
        (_timestamp, _cpu) = (now, cpu);
        var lag = Lag(_lag.Current, _poolLag.Current);
        _lag.Ping();
        _poolLag.Ping();
        return (busy, lag);
    }

    /// <summary>How late a probe runs for the monitor's sake: the socket engine's lag once, the thread pool's at each of a probe's work items.</summary>
    internal static TimeSpan Lag(TimeSpan io, TimeSpan pool) => TimeSpan.FromTicks(Math.Max(io.Ticks, pool.Ticks * WorkItemsPerRun));

    public void Dispose() => _lag.Dispose();
}
