using System.Globalization;
using System.Text.RegularExpressions;

namespace Synthetic.Bench;

/// <summary>Reads a process's CPU time and memory from /proc (all threads, user + system).</summary>
internal static class ProcStat
{
    /// <summary>USER_HZ: the unit of utime/stime in /proc/PID/stat (100 on every Linux that .NET runs on).</summary>
    private const double TicksPerSecond = 100;

    private static string[] StatFields(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");
        // The command name is in parentheses and may contain spaces: split after its closing parenthesis.
        var close = text.LastIndexOf(')');
        return text[(close + 2)..].Split(' ');
    }

    /// <summary>utime + stime in milliseconds (10 ms resolution).</summary>
    public static double CpuMs(int pid)
    {
        var fields = StatFields(pid);
        // Fields after "(comm)": state is index 0, so utime (field 14) is index 11 and stime (15) is 12.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 1000 / TicksPerSecond;
    }

    /// <summary>Start time in clock ticks since boot (field 22), to tell a pid from a reused one.</summary>
    public static string StartTime(int pid)
    {
        try
        {
            return StatFields(pid)[19];
        }
        catch (IOException)
        {
            return "0";
        }
    }

    public static long StatusKb(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    public static double RssMb(int pid) => StatusKb(pid, "VmRSS") / 1024.0;

    public static double PeakRssMb(int pid) => StatusKb(pid, "VmHWM") / 1024.0;

    public static long Threads(int pid) => StatusKb(pid, "Threads");
}

/// <summary>A CPU-time sample of one process, and the difference of two.</summary>
internal readonly record struct CpuSample(double CpuMs, long WallTimestamp)
{
    public static CpuSample Take(int pid) => new(ProcStat.CpuMs(pid), System.Diagnostics.Stopwatch.GetTimestamp());

    public double CpuMsSince(CpuSample earlier) => CpuMs - earlier.CpuMs;

    public double WallSecondsSince(CpuSample earlier) =>
        System.Diagnostics.Stopwatch.GetElapsedTime(earlier.WallTimestamp, WallTimestamp).TotalSeconds;

    /// <summary>CPU use in percent of one core between two samples.</summary>
    public double PercentSince(CpuSample earlier) => CpuMsSince(earlier) / 10 / WallSecondsSince(earlier);
}

/// <summary>A minimal parser of the Prometheus text exposition format (enough for sums and histograms).</summary>
/// <summary>Check runs, failed runs and skipped runs between two scrapes of the monitor, optionally of one probe only.</summary>
internal sealed record RunDelta(double Runs, double Failed, double Skipped)
{
    public static RunDelta Between(List<PromText.Sample> before, List<PromText.Sample> after, string? probe = null)
    {
        bool Of(IReadOnlyDictionary<string, string> labels) => probe is null || labels["probe"] == probe;
        double Sum(List<PromText.Sample> m, string name, string? outcome = null) =>
            PromText.Sum(m, name, l => Of(l) && (outcome is null || l["outcome"] == outcome));
        return new RunDelta(
            Sum(after, "synthetic_probe_runs_total") - Sum(before, "synthetic_probe_runs_total"),
            Sum(after, "synthetic_probe_runs_total", "failure") - Sum(before, "synthetic_probe_runs_total", "failure"),
            Sum(after, "synthetic_probe_skipped_total") - Sum(before, "synthetic_probe_skipped_total"));
    }
}

internal static partial class PromText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = LinePattern().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPattern().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups["k"].Value] = label.Groups["v"].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            }

            samples.Add(new Sample(match.Groups["name"].Value, labels, ParseValue(match.Groups["value"].Value)));
        }

        return samples;
    }

    public static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public static double Sum(IEnumerable<Sample> samples, string name, Func<IReadOnlyDictionary<string, string>, bool>? where = null) =>
        samples.Where(s => s.Name == name && (where is null || where(s.Labels))).Sum(s => s.Value);

    public static double? Single(IEnumerable<Sample> samples, string name, Func<IReadOnlyDictionary<string, string>, bool>? where = null) =>
        samples.FirstOrDefault(s => s.Name == name && (where is null || where(s.Labels)))?.Value;

    /// <summary>Cumulative bucket counts (le → count) of a label-less histogram, summed over series.</summary>
    public static SortedDictionary<double, double> Buckets(IEnumerable<Sample> samples, string histogram)
    {
        var buckets = new SortedDictionary<double, double>();
        foreach (var sample in samples.Where(s => s.Name == histogram + "_bucket"))
        {
            var le = ParseValue(sample.Labels["le"]);
            buckets[le] = buckets.GetValueOrDefault(le) + sample.Value;
        }

        return buckets;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex LinePattern();

    [GeneratedRegex(@"(?<k>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<v>(\\.|[^""\\])*)""", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();
}

internal static class Stats
{
    /// <summary>Nearest-rank percentile (p in 0..100) of unsorted values; NaN when empty.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 50);

    /// <summary>
    /// Quantile from cumulative histogram buckets by linear interpolation inside the bucket, like PromQL's
    /// histogram_quantile. Returns the bucket bounds too, so the report can say how coarse it is.
    /// </summary>
    public static (double Value, double Lower, double Upper) HistogramQuantile(SortedDictionary<double, double> cumulative, double q)
    {
        if (cumulative.Count == 0)
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        var total = cumulative.Last().Value;
        if (total <= 0)
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        var rank = q * total;
        double previousBound = 0, previousCount = 0;
        foreach (var (bound, count) in cumulative)
        {
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(bound))
                {
                    return (previousBound, previousBound, double.PositiveInfinity);
                }

                var inBucket = count - previousCount;
                var value = inBucket <= 0 ? bound : previousBound + ((bound - previousBound) * (rank - previousCount) / inBucket);
                return (value, previousBound, bound);
            }

            previousBound = bound;
            previousCount = count;
        }

        return (previousBound, previousBound, double.PositiveInfinity);
    }

    public static SortedDictionary<double, double> Subtract(SortedDictionary<double, double> later, SortedDictionary<double, double> earlier)
    {
        var result = new SortedDictionary<double, double>();
        foreach (var (bound, count) in later)
        {
            result[bound] = count - earlier.GetValueOrDefault(bound);
        }

        return result;
    }
}
