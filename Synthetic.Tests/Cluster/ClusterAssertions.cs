using System.Globalization;
using System.Text.Json;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cluster;

/// <summary>What every cluster test checks: exactly one run per check per interval, and nodes that agree.</summary>
internal static class ClusterAssertions
{
    /// <summary>
    /// Over <paramref name="window"/>, the run log holds each fire time of each 1 s health check exactly once, and the
    /// stand-in was asked for each of them. Counted by fire time, not by requests in a wall-clock window: a fire that a
    /// loaded machine runs late (Quartz fires up to its misfire threshold late, then catches up) is still that
    /// interval's one run, and a half-open window of N seconds holds exactly N fire times of a 1 s schedule. Returns
    /// runs per node in the window.
    /// </summary>
    public static async Task<Dictionary<string, long>> ExactlyOncePerIntervalAsync(StandInServer standIn, string database, TimeSpan window)
    {
        // The window opens once every check has fired: nodes that see each other may not have reached a check's first
        // fire time yet on a loaded machine (a check's first run comes up to two seconds after its node schedules it).
        await WaitForFirstRunsAsync(database, TimeSpan.FromSeconds(15));
        var before = ClusterTestConfig.Counts(standIn);
        var since = DateTime.UtcNow;
        await Task.Delay(window);
        var until = since + window;
        var seconds = (int)window.TotalSeconds;

        // Late fires still run within the misfire threshold, and nodes write their results about once a second.
        var deadline = DateTime.UtcNow + Synthetic.Cluster.ClusterServiceCollectionExtensions.MisfireThreshold + TimeSpan.FromSeconds(3);
        List<CheckFireTimes> log;
        while (true)
        {
            log = await FireTimesAsync(database, since, until);
            if ((log.Count == ClusterTestConfig.HealthPaths.Length && log.All(c => c.Runs >= seconds)) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(250);
        }

        var after = ClusterTestConfig.Counts(standIn);
        var elapsed = (int)Math.Ceiling((DateTime.UtcNow - since).TotalSeconds);
        Assert.True(log.Count == ClusterTestConfig.HealthPaths.Length,
            $"the run log has fire times of {log.Count} health checks in the window, not {ClusterTestConfig.HealthPaths.Length}: {string.Join(", ", log.Select(c => c.Probe))}");
        foreach (var check in log)
        {
            Assert.True(check.Runs == seconds && check.FireTimes.Count == seconds,
                $"{check.Probe}: {check.Runs} runs of {check.FireTimes.Count} fire times in {seconds} s; expected each of the {seconds} fire times once. " +
                $"Window {since:HH:mm:ss.fff} to {until:HH:mm:ss.fff}; its runs from 3 s before to 3 s after: " + await RunsNearAsync(database, check.Probe, since, until));
        }

        foreach (var path in ClusterTestConfig.HealthPaths)
        {
            // Every fire time in the window reached the stand-in; any more came from fires after the window.
            var requests = after[path] - before[path];
            Assert.True(requests >= seconds && requests <= elapsed + 1,
                $"{path}: {requests} requests in the {elapsed} s from the window's start to the end of the count; expected {seconds} to {elapsed + 1}");
        }

        var doubled = await PostgresServerTests.ScalarAsync(database, """
            SELECT count(*) FROM (
              SELECT 1 FROM synthetic_runs WHERE scheduled_at IS NOT NULL GROUP BY target, probe, scheduled_at HAVING count(*) > 1) twice
            """);
        Assert.True(doubled == 0, $"{doubled} fire times were run more than once:\n" + await DoubledAsync(database));
        return await RunsPerNodeAsync(database, since);
    }

    private static async Task WaitForFirstRunsAsync(string database, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long fired;
        do
        {
            fired = await PostgresServerTests.ScalarAsync(database,
                "SELECT count(DISTINCT probe) FROM synthetic_runs WHERE scheduled_at IS NOT NULL AND probe <> 'transcription'");
            if (fired == ClusterTestConfig.HealthPaths.Length)
            {
                return;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"{fired} of the {ClusterTestConfig.HealthPaths.Length} health checks ran within {timeout.TotalSeconds} s of the nodes seeing each other");
    }

    private static async Task<string> RunsNearAsync(string database, string probe, DateTime since, DateTime until) =>
        string.Join(", ", await QueryAsync(database, """
            SELECT scheduled_at, node, started_at FROM synthetic_runs WHERE probe = $1 AND scheduled_at >= $2 AND scheduled_at < $3 ORDER BY scheduled_at
            """, r => $"{r.GetDateTime(0):HH:mm:ss.fff} on {r.GetString(1)} (started {r.GetDateTime(2):HH:mm:ss.fff})", probe, since.AddSeconds(-3), until.AddSeconds(3)));

    private sealed record CheckFireTimes(string Probe, long Runs, List<DateTime> FireTimes);

    /// <summary>Per health check, its runs with a fire time in [since, until) and the distinct fire times.</summary>
    private static Task<List<CheckFireTimes>> FireTimesAsync(string database, DateTime since, DateTime until) =>
        QueryAsync(database, """
            SELECT probe, count(*), array_agg(DISTINCT scheduled_at ORDER BY scheduled_at) FROM synthetic_runs
            WHERE scheduled_at >= $1 AND scheduled_at < $2 AND probe <> 'transcription' GROUP BY target, probe ORDER BY probe
            """, r => new CheckFireTimes(r.GetString(0), r.GetInt64(1), [.. r.GetFieldValue<DateTime[]>(2)]), since, until);

    private static async Task<string> DoubledAsync(string database) =>
        string.Join('\n', await QueryAsync(database, """
            SELECT probe, string_agg(node, ', '), scheduled_at FROM synthetic_runs WHERE scheduled_at IS NOT NULL
            GROUP BY target, probe, scheduled_at HAVING count(*) > 1 ORDER BY scheduled_at LIMIT 20
            """, r => $"{r.GetString(0)} scheduled at {r.GetDateTime(2):HH:mm:ss.fff} ran on {r.GetString(1)}"));

    public static async Task<Dictionary<string, long>> RunsPerNodeAsync(string database, DateTime since) =>
        (await QueryAsync(database, "SELECT node, count(*) FROM synthetic_runs WHERE started_at >= $1 GROUP BY node",
            r => (Node: r.GetString(0), Runs: r.GetInt64(1)), since)).ToDictionary(x => x.Node, x => x.Runs);

    /// <summary>One row per result of <paramref name="sql"/>, with positional parameters ($1, $2, …).</summary>
    private static async Task<List<T>> QueryAsync<T>(string database, string sql, Func<Npgsql.NpgsqlDataReader, T> row, params object[] parameters)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value });
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(row(reader));
        }

        return rows;
    }

    /// <summary>Every node's /status has a latest result for every check, the nodes' latest start times within 2.5 s of each other.</summary>
    public static void StatusesAgree(IReadOnlyList<JsonElement> statuses)
    {
        var views = statuses.Select(Latest).ToList();
        var checks = views[0].Keys.ToList();
        Assert.NotEmpty(checks);
        foreach (var view in views)
        {
            Assert.Equal(checks.Order(StringComparer.Ordinal), view.Keys.Order(StringComparer.Ordinal));
        }

        foreach (var check in checks)
        {
            var starts = views.Select(v => v[check]).ToList();
            Assert.True(starts.All(s => s is not null), $"{check}: a node has no latest result");
            var spread = starts.Max()!.Value - starts.Min()!.Value;
            Assert.True(spread <= TimeSpan.FromSeconds(2.5), $"{check}: the nodes' latest results are {spread.TotalSeconds:F1} s apart");
        }
    }

    private static Dictionary<string, DateTimeOffset?> Latest(JsonElement status) =>
        status.GetProperty("targets").EnumerateArray()
            .SelectMany(t => t.GetProperty("checks").EnumerateArray().Select(c => (Key: t.GetProperty("name").GetString() + "/" + c.GetProperty("probe").GetString(),
                Latest: c.GetProperty("latest"))))
            .ToDictionary(x => x.Key, x => x.Latest.ValueKind == JsonValueKind.Object
                ? DateTimeOffset.Parse(x.Latest.GetProperty("startedAt").GetString()!, CultureInfo.InvariantCulture)
                : (DateTimeOffset?)null);

    public static async Task WaitForNodesAsync(IEnumerable<HttpClient> nodes, int expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = new List<double?>();
        while (DateTime.UtcNow < deadline)
        {
            seen = [];
            foreach (var node in nodes)
            {
                seen.Add(await MetricAsync(node, "synthetic_cluster_nodes"));
            }

            if (seen.All(n => n == expected))
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"nodes did not all see {expected} nodes within {timeout}: {string.Join(", ", seen)}");
    }

    public static async Task<double?> MetricAsync(HttpClient node, string name, params (string Key, string Value)[] labels)
    {
        try
        {
            return MetricsText.Value(await node.GetStringAsync("/metrics"), name, labels);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
