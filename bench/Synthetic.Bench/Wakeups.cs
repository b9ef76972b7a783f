using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Synthetic.Bench;

/// <summary>
/// Context switches of a process: voluntary + involuntary, summed over its threads (/proc/PID/task/*/status), and per
/// thread name (/proc/PID/task/TID/comm), to tell which thread wakes up. A thread that exits between two samples takes
/// its switches with it (idle thread-pool workers retire after ~20 s), so a delta is a lower bound.
/// </summary>
internal sealed record TaskSample(IReadOnlyDictionary<int, (string Name, long Switches)> Threads)
{
    public static TaskSample Take(int pid)
    {
        var threads = new Dictionary<int, (string, long)>();
        foreach (var dir in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var tid = int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
                var name = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                long switches = 0;
                foreach (var line in File.ReadLines(Path.Combine(dir, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) ||
                        line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        switches += long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), CultureInfo.InvariantCulture);
                    }
                }

                threads[tid] = (name, switches);
            }
            catch (IOException)
            {
                // The thread exited while we read it.
            }
        }

        return new TaskSample(threads);
    }

    /// <summary>Switches since <paramref name="earlier"/>: total, and per thread name (threads born in between count from 0).</summary>
    public (long Total, IReadOnlyDictionary<string, long> ByName) Since(TaskSample earlier)
    {
        var byName = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (tid, (name, switches)) in Threads)
        {
            var before = earlier.Threads.TryGetValue(tid, out var e) ? e.Switches : 0;
            // Thread names are truncated to 15 characters by the kernel; group numbered pool threads together.
            var key = name.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ' ', '#');
            byName[key] = byName.GetValueOrDefault(key) + (switches - before);
        }

        return (byName.Values.Sum(), byName);
    }
}

/// <summary>Counters the .NET runtime keeps in a process (read in that process by <see cref="StartupHook"/> or by the process itself).</summary>
internal sealed record RuntimeCounters(long WorkItems, long Timers, long LockContentions, long AllocatedBytes, int Gen0, int PoolThreads)
{
    public static RuntimeCounters Current() => new(ThreadPool.CompletedWorkItemCount, Timer.ActiveCount, Monitor.LockContentionCount,
        GC.GetTotalAllocatedBytes(), GC.CollectionCount(0), ThreadPool.ThreadCount);

    public string ToLine() => "RUNTIME " + JsonSerializer.Serialize(this);

    /// <summary>
    /// Asks a process started with <see cref="StartupHook"/> (DOTNET_STARTUP_HOOKS) for its counters: SIGUSR1, then the line it
    /// appends to its log. The request costs the process one signal and a line of output, nothing while nobody asks.
    /// </summary>
    public static async Task<RuntimeCounters?> RequestAsync(Child child, CancellationToken cancellationToken)
    {
        var before = Lines(child.Log).Count();
        using (var kill = System.Diagnostics.Process.Start("kill", ["-USR1", child.Pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cancellationToken);
        }

        for (var attempt = 0; attempt < 40; attempt++)
        {
            var line = Lines(child.Log).Skip(before).LastOrDefault();
            if (line is not null)
            {
                return JsonSerializer.Deserialize<RuntimeCounters>(line["RUNTIME ".Length..]);
            }

            await Task.Delay(50, cancellationToken);
        }

        return null;
    }

    private static IEnumerable<string> Lines(string log)
    {
        try
        {
            return File.ReadAllLines(log).Where(l => l.StartsWith("RUNTIME ", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return [];
        }
    }
}

/// <summary>What one tool did over one measured window: CPU, context switches, and (for .NET processes) thread-pool work items.</summary>
internal sealed record Wakeups(double CpuMs, long Switches, IReadOnlyDictionary<string, long> SwitchesByThread, long? WorkItems, long? AllocatedBytes)
{
    public string Describe(double probes) =>
        $"{CpuMs / probes:F3} ms CPU, {Switches / probes:F1} context switches" +
        (WorkItems is { } items ? $", {items / probes:F2} work items" : string.Empty) +
        (AllocatedBytes is { } bytes ? $", {bytes / probes / 1024:F1} KB allocated" : string.Empty) +
        " per probe; switches by thread: " +
        string.Join(", ", SwitchesByThread.Where(t => t.Value > 0).OrderByDescending(t => t.Value).Select(t => $"{t.Key} {t.Value / probes:F2}"));
}
