using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Synthetic.Bench;

/// <summary>One line of the results table. Ratio is Synthetic ÷ blackbox_exporter when both exist.</summary>
internal sealed record Row(string Scenario, string Measure, string Synthetic, string Blackbox, string Ratio, string Target, string Met);

/// <summary>Collects the summary table and per-scenario details; writes bench/results/latest.md.</summary>
internal sealed class Report(BenchOptions options)
{
    private readonly List<Row> _rows = [];
    private readonly List<(string Title, List<string> Lines)> _sections = [];
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    public void Add(Row row)
    {
        _rows.Add(row);
        BenchLog.Info($"result: {row.Scenario} | {row.Measure} | Synthetic {row.Synthetic} | blackbox {row.Blackbox} | ratio {row.Ratio} | target {row.Target} {row.Met}");
    }

    public List<string> Section(string title)
    {
        var existing = _sections.FirstOrDefault(s => s.Title == title);
        if (existing.Lines is not null)
        {
            return existing.Lines;
        }

        var lines = new List<string>();
        _sections.Add((title, lines));
        return lines;
    }

    public static string Ms(double seconds, int decimals = 2) =>
        double.IsNaN(seconds) ? "n/a" : (seconds * 1000).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " ms";

    public static string Num(double value, int decimals = 2) =>
        double.IsNaN(value) || double.IsInfinity(value) ? "n/a" : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Ratio(double synthetic, double blackbox) =>
        blackbox > 0 && !double.IsNaN(synthetic) && !double.IsNaN(blackbox) ? Num(synthetic / blackbox, 2) + "×" : "n/a";

    public static string Met(bool? met) => met switch { true => "yes", false => "**no**", null => "n/a" };

    public string Render(TimeSpan elapsed, IReadOnlyList<string> failures)
    {
        var md = new StringBuilder();
        md.AppendLine("# Synthetic benchmarks: side by side with blackbox_exporter");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{options.Command}`");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Date: {_started:yyyy-MM-dd HH:mm} UTC; run time {elapsed.TotalMinutes:F1} min{(options.Quick ? " (--quick: shorter windows, a smoke run, not for comparison)" : string.Empty)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Machine()}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Software: {Versions()}");
        md.AppendLine("- Everything on 127.0.0.1; both tools probe the same nginx `/health` with a new TCP connection per probe. " +
                      "CPU is utime+stime of the measured process from /proc (helpers such as nginx, the stand-in and the load driver are not counted). " +
                      "The machine is shared: compare the two tools within this run, not across runs. See bench/README.md for method and caveats.");
        md.AppendLine();
        md.AppendLine("## Results");
        md.AppendLine();
        md.AppendLine("| scenario | measure | Synthetic | blackbox_exporter | Synthetic ÷ blackbox | target | met |");
        md.AppendLine("|---|---|---:|---:|---:|---|---|");
        foreach (var row in _rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Scenario} | {row.Measure} | {row.Synthetic} | {row.Blackbox} | {row.Ratio} | {row.Target} | {row.Met} |");
        }

        if (failures.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("**Scenarios that did not complete:**");
            foreach (var failure in failures)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {failure}");
            }
        }

        foreach (var (title, lines) in _sections)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"## {title}");
            md.AppendLine();
            foreach (var line in lines)
            {
                md.AppendLine(line);
            }
        }

        return md.ToString();
    }

    private static string Machine()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memKb = ProcMeminfo("MemTotal");
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        return $"nproc {Environment.ProcessorCount}, {memKb / 1024.0 / 1024.0:F1} GiB memory, {cpu}, {Environment.OSVersion.VersionString}; load average at start {load}";
    }

    private static long ProcMeminfo(string field)
    {
        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static string Versions()
    {
        var parts = new List<string> { ".NET " + Environment.Version };
        parts.Add(FirstLine("prometheus-blackbox-exporter", "--version") is { } bb ? bb.Replace("blackbox_exporter, version ", "blackbox_exporter ", StringComparison.Ordinal).Split(' ').Take(2).Aggregate((a, b) => a + " " + b) : "blackbox_exporter ?");
        parts.Add(FirstLine("nginx", "-v")?.Replace("nginx version: ", string.Empty, StringComparison.Ordinal) ?? "nginx ?");
        parts.Add(FirstLine("prometheus", "--version")?.Split(" (", 2)[0].Replace(", version", string.Empty, StringComparison.Ordinal) ?? "prometheus ?");
        parts.Add(FirstLine("prometheus-alertmanager", "--version")?.Split(" (", 2)[0].Replace(", version", string.Empty, StringComparison.Ordinal) ?? "alertmanager ?");
        return string.Join(", ", parts);
    }

    private static string? FirstLine(string program, string argument)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, argument)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit(5000);
            return output.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
