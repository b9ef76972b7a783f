using System.Diagnostics;

namespace Synthetic.Bench;

/// <summary>
/// Scenario 6: clustering. The scale scenario's 2,000 health checks at 15 s against nginx, first on one node without
/// clustering (the in-memory store), then on two nodes clustered on one PostgreSQL: database transactions per second
/// (pg_stat_database), start lag p99 (the nodes' <c>synthetic_scheduler_start_lag_seconds</c>, summed), CPU per probe
/// (/proc/PID/stat of the monitors, summed; PostgreSQL's own CPU separately).
/// </summary>
internal static class ClusterScenario
{
    public const string Title = "6. Clustering";
    private const string LagHistogram = "synthetic_scheduler_start_lag_seconds";

    public static async Task RunAsync(BenchContext context, Nginx nginx, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var section = context.Report.Section(Title);
        var (n, interval) = (options.ScaleChecks, options.ScaleInterval);
        var targets = ScaleScenario.Targets(options, nginx);

        var single = await MeasureAsync(context, "c6-single", targets, 1, null, cancellationToken);
        await using var postgres = await BenchPostgres.StartAsync(context, cancellationToken);
        var database = "synthetic_bench";
        var connectionString = await postgres.CreateDatabaseAsync(database, cancellationToken);
        var cluster = await MeasureAsync(context, "c6-cluster", targets, 2,
            new Dictionary<string, object> { ["Cluster"] = new Dictionary<string, object> { ["ConnectionString"] = connectionString } },
            cancellationToken, postgres, database);

        section.Add($"- {n} health checks × {interval.TotalSeconds:F0} s against nginx (as scenario 3), each setup for {options.ClusterDuration.TotalSeconds:F0} s " +
                    $"(measured after a {options.ScaleWarmup.TotalSeconds:F0} s warm-up; the clustered nodes start one after the other, the second once the first serves /healthz).");
        section.Add(string.Empty);
        section.Add("| measure | one node, no clustering | two nodes, clustered (PostgreSQL) |");
        section.Add("|---|---:|---:|");
        section.Add($"| runs in window / expected (skipped) | {single.Runs:F0} / {single.Expected:F0} ({single.Skipped:F0}) | {cluster.Runs:F0} / {cluster.Expected:F0} ({cluster.Skipped:F0}; per node: {string.Join(" + ", cluster.RunsPerNode.Select(r => r.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}) |");
        section.Add($"| database transactions per second (pg_stat_database xact_commit + xact_rollback) | none | {Report.Num(cluster.TransactionsPerSecond, 0)} ({Report.Num(cluster.TransactionsPerSecond / (cluster.Runs / cluster.Wall), 1)} per run) |");
        section.Add($"| database statements per second (pg_stat_statements calls) | none | {Report.Num(cluster.StatementsPerSecond, 0)} ({Report.Num(cluster.StatementsPerSecond / (cluster.Runs / cluster.Wall), 1)} per run) |");
        section.Add($"| start lag p50 / p99 (histogram, all nodes) | {Report.Ms(single.P50, 2)} / {Report.Ms(single.P99, 2)} | {Report.Ms(cluster.P50, 2)} / {Report.Ms(cluster.P99, 2)} |");
        section.Add($"| monitor CPU per probe (all nodes) | {single.CpuMsPerProbe:F3} ms | {cluster.CpuMsPerProbe:F3} ms |");
        section.Add($"| monitor CPU, % of one core (all nodes) | {Report.Num(single.CpuPercent, 1)} % | {Report.Num(cluster.CpuPercent, 1)} % |");
        section.Add($"| PostgreSQL CPU per probe / % of one core | none | {cluster.DatabaseCpuMsPerProbe:F3} ms / {Report.Num(cluster.DatabaseCpuPercent, 1)} % |");
        section.Add($"| RSS per node at end | {string.Join(" / ", single.RssMb.Select(r => $"{r:F0} MB"))} | {string.Join(" / ", cluster.RssMb.Select(r => $"{r:F0} MB"))} |");
        section.Add($"| start-up (process start → /healthz) | {single.StartupSeconds[0]:F1} s | {string.Join(" / ", cluster.StartupSeconds.Select(s => $"{s:F1} s"))} |");
        context.Report.Add(new Row("6 cluster", $"two clustered nodes: runs / expected, DB statements/s, start lag p99, CPU per probe ({n} checks × {interval.TotalSeconds:F0} s)",
            $"{cluster.Runs:F0} / {cluster.Expected:F0}, {Report.Num(cluster.StatementsPerSecond, 0)} /s, {Report.Ms(cluster.P99, 2)}, {cluster.CpuMsPerProbe:F3} ms", "n/a", string.Empty,
            $"one node: {Report.Ms(single.P99, 2)}, {single.CpuMsPerProbe:F3} ms", string.Empty));
    }

    private static async Task<Measured> MeasureAsync(BenchContext context, string name, List<object> targets, int nodes,
        IReadOnlyDictionary<string, object>? settings, CancellationToken cancellationToken, BenchPostgres? postgres = null, string? database = null)
    {
        var options = context.Options;
        var monitors = new List<MonitorProcess>();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                monitors.Add(await MonitorProcess.StartAsync(context, $"{name}-{i}", targets, cancellationToken, settings: settings));
            }

            await Task.Delay(options.ScaleWarmup, cancellationToken);
            var m0 = await Task.WhenAll(monitors.Select(m => m.ScrapeAsync(context, cancellationToken)));
            var c0 = monitors.Select(m => CpuSample.Take(m.Pid)).ToList();
            var d0 = postgres is null ? 0 : await postgres.TransactionsAsync(database!, cancellationToken);
            var q0 = postgres is null ? 0 : await postgres.StatementsAsync(database!, cancellationToken);
            var p0 = postgres?.CpuMs() ?? 0;
            var started = Stopwatch.GetTimestamp();
            var window = options.ClusterDuration - options.ScaleWarmup;
            while (Stopwatch.GetElapsedTime(started) < window)
            {
                monitors.ForEach(m => m.Child.EnsureRunning());
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            }

            var d1 = postgres is null ? 0 : await postgres.TransactionsAsync(database!, cancellationToken);
            var q1 = postgres is null ? 0 : await postgres.StatementsAsync(database!, cancellationToken);
            var c1 = monitors.Select(m => CpuSample.Take(m.Pid)).ToList();
            var p1 = postgres?.CpuMs() ?? 0;
            var m1 = await Task.WhenAll(monitors.Select(m => m.ScrapeAsync(context, cancellationToken)));
            var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;

            var lag = new SortedDictionary<double, double>();
            var runsPerNode = new List<double>();
            double skipped = 0;
            for (var i = 0; i < nodes; i++)
            {
                foreach (var (bound, count) in Stats.Subtract(PromText.Buckets(m1[i], LagHistogram), PromText.Buckets(m0[i], LagHistogram)))
                {
                    lag[bound] = lag.GetValueOrDefault(bound) + count;
                }

                var delta = RunDelta.Between(m0[i], m1[i]);
                runsPerNode.Add(delta.Runs);
                skipped += delta.Skipped;
            }

            var runs = runsPerNode.Sum();
            var cpuMs = Enumerable.Range(0, nodes).Sum(i => c1[i].CpuMsSince(c0[i]));
            var databaseCpuMs = p1 - p0;
            return new Measured(runs, skipped, options.ScaleChecks / options.ScaleInterval.TotalSeconds * wall, wall, runsPerNode,
                Stats.HistogramQuantile(lag, 0.50).Value, Stats.HistogramQuantile(lag, 0.99).Value,
                cpuMs / runs, cpuMs / 10 / wall, (d1 - d0) / wall, (q1 - q0) / wall, databaseCpuMs / runs, databaseCpuMs / 10 / wall,
                [.. monitors.Select(m => ProcStat.RssMb(m.Pid))], [.. monitors.Select(m => m.StartupTime.TotalSeconds)]);
        }
        finally
        {
            foreach (var monitor in monitors)
            {
                await monitor.Child.DisposeAsync();
            }
        }
    }

    private sealed record Measured(double Runs, double Skipped, double Expected, double Wall, List<double> RunsPerNode, double P50, double P99, double CpuMsPerProbe,
        double CpuPercent, double TransactionsPerSecond, double StatementsPerSecond, double DatabaseCpuMsPerProbe, double DatabaseCpuPercent, List<double> RssMb, List<double> StartupSeconds);
}
