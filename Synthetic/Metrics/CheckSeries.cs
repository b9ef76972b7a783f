using System.Runtime.CompilerServices;
using Synthetic.Results;

namespace Synthetic.Metrics;

/// <summary>
/// The per-check families of the metric contract (success, degraded, duration, runs, failures, attempts, retried runs,
/// skipped, last run, interval, HTTP phases) for one (target, probe): plain fields behind one lock, written out by
/// <see cref="CheckSeriesSet"/>. prometheus-net kept 16 children per check (~6 KB each check, 45 MB at 10,000); this is
/// about 0.5 KB. A series appears exactly when it did with prometheus-net: declared at registration or on first write.
/// </summary>
internal sealed class CheckSeries
{
    internal static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60];

    private static readonly byte[][] OutcomeCloses = [.. Enum.GetValues<Outcome>().Select(o => ExpositionWriter.Close(("outcome", o.Name())))];
    private static readonly byte[][] PhaseCloses = [.. PhaseTimings.Names.Select(p => ExpositionWriter.Close(("phase", p)))];
    private static readonly byte[][] BucketCloses =
        [.. DurationBuckets.Append(double.PositiveInfinity).Select(le => ExpositionWriter.Close(("le", ExpositionWriter.Spell(le))))];

    /// <summary><c>} </c>: the close of a line without a pair of its own.</summary>
    private static readonly byte[] NoPair = ExpositionWriter.Close();

    private static readonly List<(byte[] Close, string Reason, long Count)> NoFailures = [];

    private readonly Lock _lock = new();
    private readonly long[] _buckets = new long[DurationBuckets.Length + 1];
    private readonly long[] _runs = new long[OutcomeCloses.Length];
    private readonly double[] _phases = new double[PhaseTimings.Names.Length];
    private List<(byte[] Close, string Reason, long Count)>? _failures;
    private Present _present;
    private double _success;
    private double _degraded;
    private double _lastRun;
    private double _interval;
    private double _durationSum;
    private long _attempts;
    private long _retried;
    private long _skipped;

    public CheckSeries(string target, string probe) => Labels = ExpositionWriter.LabelPairs(("target", target), ("probe", probe));

    [Flags]
    private enum Present
    {
        None = 0,
        Latest = 1,
        Interval = 2,
        Attempts = 4,
        Retried = 8,
        Skipped = 16,
        Duration = 32,
        RunsBase = 64,
        PhasesBase = RunsBase << 3,
    }

    /// <summary><c>target="…",probe="…"</c>, escaped once.</summary>
    public byte[] Labels { get; }

    public void Register(TimeSpan interval, bool mayRetry)
    {
        lock (_lock)
        {
            _interval = interval.TotalSeconds;
            _present |= Present.Interval | Present.Attempts | Present.Skipped | (mayRetry ? Present.Retried : Present.None);
            for (var i = 0; i < _runs.Length; i++)
            {
                _present |= Run(i);
            }
        }
    }

    public void Skip()
    {
        lock (_lock)
        {
            _skipped++;
            _present |= Present.Skipped;
        }
    }

    public void RecordRun(ProbeResult result)
    {
        var seconds = result.Duration.TotalSeconds;
        var bucket = 0;
        while (bucket < DurationBuckets.Length && seconds > DurationBuckets[bucket])
        {
            bucket++;
        }

        lock (_lock)
        {
            _buckets[bucket]++;
            _durationSum += seconds;
            _runs[(int)result.Outcome]++;
            _present |= Run((int)result.Outcome) | Present.Attempts | Present.Duration;
            _attempts += Math.Max(0, result.Attempts);
            if (result.PassedAfterRetry)
            {
                _retried++;
                _present |= Present.Retried;
            }

            if (result.Outcome == Outcome.Failure && result.Reason is { } reason)
            {
                CountFailure(reason);
            }
        }
    }

    public void RecordLatest(ProbeResult result)
    {
        lock (_lock)
        {
            _success = result.Outcome.Passed() ? 1 : 0;
            _degraded = result.Outcome == Outcome.Degraded ? 1 : 0;
            _lastRun = result.FinishedAt.ToUnixTimeMilliseconds() / 1000.0;
            _present |= Present.Latest;
            for (var i = 0; i < _phases.Length; i++)
            {
                if (result.Phases[i] is { } seconds)
                {
                    _phases[i] = seconds;
                    _present |= (Present)((int)Present.PhasesBase << i);
                }
            }
        }
    }

    /// <summary>This series' lines of one family (none if it has no such series yet).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(CheckFamily family, ref ExpositionWriter writer)
    {
        var name = family.Open;
        lock (_lock)
        {
            switch (family.Kind)
            {
                case CheckFamilyKind.Success when Has(Present.Latest): writer.Line(name, Labels, NoPair, _success); break;
                case CheckFamilyKind.Degraded when Has(Present.Latest): writer.Line(name, Labels, NoPair, _degraded); break;
                case CheckFamilyKind.LastRun when Has(Present.Latest): writer.Line(name, Labels, NoPair, _lastRun); break;
                case CheckFamilyKind.Interval when Has(Present.Interval): writer.Line(name, Labels, NoPair, _interval); break;
                case CheckFamilyKind.Attempts when Has(Present.Attempts): writer.Line(name, Labels, NoPair, _attempts); break;
                case CheckFamilyKind.Retried when Has(Present.Retried): writer.Line(name, Labels, NoPair, _retried); break;
                case CheckFamilyKind.Skipped when Has(Present.Skipped): writer.Line(name, Labels, NoPair, _skipped); break;
                case CheckFamilyKind.Duration when Has(Present.Duration): WriteDuration(family, ref writer); break;
                case CheckFamilyKind.Runs:
                    for (var i = 0; i < _runs.Length; i++)
                    {
                        if (Has(Run(i)))
                        {
                            writer.Line(name, Labels, OutcomeCloses[i], _runs[i]);
                        }
                    }

                    break;
                case CheckFamilyKind.Failures:
                    foreach (var (close, _, count) in _failures ?? NoFailures)
                    {
                        writer.Line(name, Labels, close, count);
                    }

                    break;
                case CheckFamilyKind.Phases:
                    for (var i = 0; i < _phases.Length; i++)
                    {
                        if (Has((Present)((int)Present.PhasesBase << i)))
                        {
                            writer.Line(name, Labels, PhaseCloses[i], _phases[i]);
                        }
                    }

                    break;
            }
        }
    }

    private static Present Run(int outcome) => (Present)((int)Present.RunsBase << outcome);

    private bool Has(Present flag) => (_present & flag) == flag;

    private void CountFailure(string reason)
    {
        _failures ??= [];
        var index = _failures.FindIndex(f => f.Reason == reason);
        if (index < 0)
        {
            _failures.Add((ExpositionWriter.Close(("reason", reason)), reason, 1));
        }
        else
        {
            _failures[index] = _failures[index] with { Count = _failures[index].Count + 1 };
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteDuration(CheckFamily family, ref ExpositionWriter writer)
    {
        long cumulative = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            cumulative += _buckets[i];
            writer.Line(family.BucketOpen, Labels, BucketCloses[i], cumulative);
        }

        writer.Line(family.SumOpen, Labels, NoPair, _durationSum);
        writer.Line(family.CountOpen, Labels, NoPair, cumulative);
    }
}
