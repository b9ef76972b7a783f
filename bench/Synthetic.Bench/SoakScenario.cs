using System.Diagnostics;
using System.Globalization;

namespace Synthetic.Bench;

/// <summary>
/// Scenario 8: soak. 1,500 health checks × 15 s (100 probes/s) against nginx for <see cref="BenchOptions.SoakDuration"/>
/// (an hour by default): RSS, CPU per probe, start lag and runs per block of the run, so growth of memory and drift of
/// the lag show as a trend. Not in the default set (bench/run.sh --only soak).
/// </summary>
internal static class SoakScenario
{
    public const string Title = "8. Soak";
    private const string LagHistogram = "synthetic_scheduler_start_lag_seconds";
    private const int Checks = 1500;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    public static async Task RunAsync(BenchContext context, Nginx nginx, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var section = context.Report.Section(Title);
        var targets = Enumerable.Range(0, Checks)
            .Select(i => MonitorProcess.HealthTarget($"k{i:D5}", nginx.BaseUrl, Interval, TimeSpan.FromSeconds(5)))
            .ToList();
        var monitor = await MonitorProcess.StartAsync(context, "s7-soak", targets, cancellationToken);
        var blocks = new List<Block>();
        try
        {
            var pid = monitor.Pid;
            await Task.Delay(options.ScaleWarmup, cancellationToken);
            var block = options.SoakBlock;
            var count = Math.Max(1, (int)Math.Round(options.SoakDuration / block));
            var m0 = await monitor.ScrapeAsync(context, cancellationToken);
            var c0 = CpuSample.Take(pid);
            for (var i = 0; i < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                while (Stopwatch.GetElapsedTime(started) < block)
                {
                    monitor.Child.EnsureRunning();
                    var left = block - Stopwatch.GetElapsedTime(started);
                    await Task.Delay(left < TimeSpan.FromSeconds(10) ? left : TimeSpan.FromSeconds(10), cancellationToken);
                }

                var m1 = await monitor.ScrapeAsync(context, cancellationToken);
                var c1 = CpuSample.Take(pid);
                var lag = Stats.Subtract(PromText.Buckets(m1, LagHistogram), PromText.Buckets(m0, LagHistogram));
                var delta = RunDelta.Between(m0, m1);
                var wall = c1.WallSecondsSince(c0);
                blocks.Add(new Block(i, ProcStat.RssMb(pid), c1.CpuMsSince(c0) / delta.Runs, Stats.HistogramQuantile(lag, 0.50).Value,
                    Stats.HistogramQuantile(lag, 0.99).Value, delta.Runs, Checks / Interval.TotalSeconds * wall, delta.Failed, delta.Skipped));
                BenchLog.Info($"soak block {i + 1}/{count}: RSS {blocks[^1].RssMb:F0} MB, {blocks[^1].CpuMsPerProbe:F3} ms/probe, lag p99 {blocks[^1].LagP99 * 1000:F1} ms");
                (m0, c0) = (m1, c1);
            }

            var peak = ProcStat.PeakRssMb(pid);
            var first = blocks[0];
            var last = blocks[^1];
            var runs = blocks.Sum(b => b.Runs);
            var expected = blocks.Sum(b => b.Expected);
            section.Add($"- {Checks} health checks × {Interval.TotalSeconds:F0} s ({Checks / Interval.TotalSeconds:F0} probes/s) against nginx, {blocks.Count} blocks of " +
                        $"{block.TotalMinutes:F0} min after a {options.ScaleWarmup.TotalSeconds:F0} s warm-up; per block: RSS at its end, CPU per probe, " +
                        $"start lag p50/p99 from `{LagHistogram}` (bucket-interpolated), runs. Peak RSS over the run {peak:F0} MB.");
            section.Add(string.Empty);
            section.Add("| block | RSS at end | CPU ms / probe | start lag p50 / p99 | runs / expected (failed, skipped) |");
            section.Add("|---:|---:|---:|---:|---|");
            foreach (var b in blocks)
            {
                section.Add($"| {b.Index + 1} | {b.RssMb:F0} MB | {b.CpuMsPerProbe:F3} | {Report.Ms(b.LagP50, 2)} / {Report.Ms(b.LagP99, 2)} | " +
                            $"{b.Runs:F0} / {b.Expected:F0} ({b.Failed:F0}, {b.Skipped:F0}) |");
            }

            context.Report.Add(new Row("8 soak", $"RSS first → last block, peak ({blocks.Count} × {block.TotalMinutes:F0} min, {Checks / Interval.TotalSeconds:F0} probes/s)",
                $"{first.RssMb:F0} → {last.RssMb:F0} MB, peak {peak:F0} MB", "n/a", string.Empty, "no growth", Report.Met(last.RssMb <= first.RssMb * 1.1)));
            context.Report.Add(new Row("8 soak", "start lag p99 first → last block; CPU ms/probe first → last",
                $"{Report.Ms(first.LagP99, 2)} → {Report.Ms(last.LagP99, 2)}; {first.CpuMsPerProbe:F3} → {last.CpuMsPerProbe:F3}", "n/a", string.Empty, "no drift",
                Report.Met(last.LagP99 <= Math.Max(first.LagP99 * 2, 0.01))));
            context.Report.Add(new Row("8 soak", "runs / expected (failed, skipped), whole run",
                $"{runs:F0} / {expected:F0} ({blocks.Sum(b => b.Failed):F0}, {blocks.Sum(b => b.Skipped):F0})", "n/a", string.Empty, string.Empty, string.Empty));
        }
        finally
        {
            await monitor.Child.DisposeAsync();
        }
    }

    private sealed record Block(int Index, double RssMb, double CpuMsPerProbe, double LagP50, double LagP99, double Runs, double Expected, double Failed, double Skipped);
}
