using Microsoft.Extensions.Logging;

namespace Synthetic.Scheduling;

/// <summary>
/// Logs skipped runs as changes of state, never one line per skip: a cold start past capacity once wrote 110,000
/// skip lines in 30 s. Per check, one line when it starts skipping (with why) and one when it runs again
/// ("N runs skipped"); those per-check lines share a budget of <see cref="CheckLinesPerWindow"/> per window, and a
/// window that skipped more than it logged ends with one summary line. Windows open at the first skip or line
/// and close on the first skip or run after <see cref="Window"/>: no timer, so an idle monitor does not wake up
/// for it. Every skip is still counted (the metric and /status), whether logged or not.
/// </summary>
internal sealed partial class SkipLog(ILogger logger)
{
    internal static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    internal const int CheckLinesPerWindow = 10;

    private readonly Lock _gate = new();
    private bool _open;
    private int _generation;
    private DateTimeOffset _windowStart;
    private long _skips;
    private int _checks;
    private int _lines;
    private int _suppressed;

    /// <summary>Cheap test for the steady state: no window to close, nothing to log.</summary>
    private bool Open => Volatile.Read(ref _open);

    public void Skipped(ScheduledCheck check, string why, DateTimeOffset now)
    {
        var first = Interlocked.Increment(ref check.SkipStreak) == 1;
        bool log;
        lock (_gate)
        {
            CloseIfDue(now);
            OpenIfClosed(now);
            _skips++;
            if (check.SkipWindow != _generation)
            {
                check.SkipWindow = _generation;
                _checks++;
            }

            log = first && TakeLine();
        }

        if (log)
        {
            LogFirstSkip(check.Check.Target, check.Check.Probe, why);
        }
    }

    /// <summary>A run of <paramref name="check"/> starts: ends its streak of skips, if any, and closes a window that is due.</summary>
    public void Ran(ScheduledCheck check, DateTimeOffset now)
    {
        var streak = Volatile.Read(ref check.SkipStreak) == 0 ? 0 : Interlocked.Exchange(ref check.SkipStreak, 0);
        if (streak == 0 && !Open)
        {
            return;
        }

        bool log;
        lock (_gate)
        {
            CloseIfDue(now);
            if (streak == 0)
            {
                return;
            }

            OpenIfClosed(now);
            log = TakeLine();
        }

        if (log)
        {
            LogRunsAgain(check.Check.Target, check.Check.Probe, streak);
        }
    }

    private void OpenIfClosed(DateTimeOffset now)
    {
        if (!_open)
        {
            _windowStart = now;
            _generation++;
            Volatile.Write(ref _open, true);
        }
    }

    private bool TakeLine()
    {
        if (_lines < CheckLinesPerWindow)
        {
            _lines++;
            return true;
        }

        _suppressed++;
        return false;
    }

    private void CloseIfDue(DateTimeOffset now)
    {
        if (!_open || now - _windowStart < Window)
        {
            return;
        }

        // Only when something went unsaid: a window whose every skip got its own line needs no summary.
        if (_suppressed > 0 || _skips > _lines)
        {
            LogSummary(_skips, _checks, (now - _windowStart).TotalSeconds, _suppressed);
        }

        Volatile.Write(ref _open, false);
        _skips = 0;
        _checks = 0;
        _lines = 0;
        _suppressed = 0;
    }

    [LoggerMessage(EventId = 102, Level = LogLevel.Information,
        Message = "{Target}/{Probe}: run skipped: {Why}; further skips are counted (synthetic_probe_skipped_total), not logged")]
    private partial void LogFirstSkip(string target, string probe, string why);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "{Target}/{Probe}: runs again after {Skipped} skipped runs")]
    private partial void LogRunsAgain(string target, string probe, long skipped);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning,
        Message = "{Skipped} runs skipped across {Checks} checks in the last {Seconds:F0} s ({Suppressed} per-check skip lines not logged)")]
    private partial void LogSummary(long skipped, int checks, double seconds, int suppressed);
}
