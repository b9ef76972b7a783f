using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace Synthetic.Hosting;

/// <summary>
/// Gives the C heap's free pages back to the system every <see cref="Interval"/> (glibc's <c>malloc_trim</c>). The
/// runtime mallocs scratch memory to JIT-compile and load types, mostly in the first minutes, and frees it; glibc keeps
/// freed pages inside its arenas resident and returns only an arena's top on <c>free</c>. With 200 checks × 1 s,
/// 60 s after ready, glibc held 17.7 MB for 4.4 MB in use (<c>malloc_stats</c>), and one trim took RSS from 103.2 to
/// 91.8 MB. A trim at start-up alone changed nothing: the JIT's tier-up fills the arenas again in the first minute.
/// Nothing happens where there is no glibc (Windows, macOS, musl): the first call that fails ends the service.
/// </summary>
internal sealed class NativeHeapTrim : BackgroundService
{
    /// <summary>How often: a trim takes well under a millisecond, and memory freed since the last one is resident until the next.</summary>
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>What the start-up output says about it.</summary>
    public static string Summary => OperatingSystem.IsLinux()
        ? $"C heap trimmed every {Interval.TotalSeconds:0} s"
        : "C heap not trimmed (not Linux)";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken) && TryTrim())
            {
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Trims once; false where the C library has no <c>malloc_trim</c>.</summary>
    internal static bool TryTrim()
    {
        try
        {
            _ = malloc_trim(0);
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int malloc_trim(nuint pad);
}
