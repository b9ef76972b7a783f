using Microsoft.Extensions.Logging;

namespace Synthetic.Scheduling;

/// <summary>
/// The budget of per-check failure and recovery lines: at most <see cref="LinesPerWindow"/> per window across all
/// checks, then one summary line when the window closes. An incident of a few targets is logged line by line; a
/// monitor flapping thousands of checks (a cold start of 6,000 checks at 1 s past this machine's capacity wrote
/// 218,000 lines in 60 s) writes a bounded log. Like <see cref="SkipLog"/>, windows close on the next change after
/// <see cref="Window"/>, without a timer; every result is still counted in the metrics and /status.
/// </summary>
internal sealed partial class ChangeLog(ILogger logger)
{
    internal static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    internal const int LinesPerWindow = 100;

    private readonly Lock _gate = new();
    private DateTimeOffset? _windowStart;
    private int _lines;
    private int _failed;
    private int _recovered;
    private int _suppressed;

    /// <summary>Whether a change at <paramref name="now"/> may have its own line; counted in the window either way.</summary>
    public bool Take(bool failure, DateTimeOffset now)
    {
        (int Failed, int Recovered, int Suppressed, double Seconds)? summary = null;
        bool take;
        lock (_gate)
        {
            if (_windowStart is { } start && now - start >= Window)
            {
                if (_suppressed > 0)
                {
                    summary = (_failed, _recovered, _suppressed, (now - start).TotalSeconds);
                }

                (_windowStart, _lines, _failed, _recovered, _suppressed) = (null, 0, 0, 0, 0);
            }

            _windowStart ??= now;
            if (failure)
            {
                _failed++;
            }
            else
            {
                _recovered++;
            }

            take = _lines < LinesPerWindow;
            if (take)
            {
                _lines++;
            }
            else
            {
                _suppressed++;
            }
        }

        if (summary is { } s)
        {
            LogSummary(s.Failed, s.Recovered, s.Seconds, s.Suppressed);
        }

        return take;
    }

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning,
        Message = "{Failed} failures and {Recovered} recoveries in the last {Seconds:F0} s; {Suppressed} of those lines not logged (counted in synthetic_probe_runs_total)")]
    private partial void LogSummary(int failed, int recovered, double seconds, int suppressed);
}
