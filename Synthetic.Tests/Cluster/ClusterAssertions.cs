using System.Globalization;
using System.Text.Json;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cluster;

/// <summary>What every cluster test checks: exactly one run per check per interval, and nodes that agree.</summary>
internal static class ClusterAssertions
{
    /// <summary>
    /// Over <paramref name="window"/>, each 1 s health check reached the stand-in once per second (±1 at the window's
    /// edges, -2 for a late start on a loaded machine), and the run log holds no fire time of a check run twice. Returns runs per node in the window.
    /// </summary>
    public static async Task<Dictionary<string, long>> ExactlyOncePerIntervalAsync(StandInServer standIn, string database, TimeSpan window)
    {
        var before = ClusterTestConfig.Counts(standIn);
        var since = DateTime.UtcNow;
        await Task.Delay(window);
        var after = ClusterTestConfig.Counts(standIn);
        var seconds = (int)window.TotalSeconds;
        foreach (var path in ClusterTestConfig.HealthPaths)
        {
            var requests = after[path] - before[path];
            Assert.True(requests >= seconds - 2 && requests <= seconds + 1,
                $"{path}: {requests} requests in {seconds} s across the cluster; expected one per second ({seconds - 2} to {seconds + 1})");
        }

        var doubled = await PostgresServerTests.ScalarAsync(database, """
            SELECT count(*) FROM (
              SELECT 1 FROM synthetic_runs WHERE scheduled_at IS NOT NULL GROUP BY target, probe, scheduled_at HAVING count(*) > 1) twice
            """);
        Assert.True(doubled == 0, $"{doubled} fire times were run more than once:\n" + await DoubledAsync(database));
        return await RunsPerNodeAsync(database, since);
    }

    private static async Task<string> DoubledAsync(string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("""
            SELECT probe, string_agg(node, ', '), scheduled_at FROM synthetic_runs WHERE scheduled_at IS NOT NULL
            GROUP BY target, probe, scheduled_at HAVING count(*) > 1 ORDER BY scheduled_at LIMIT 20
            """, connection);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add($"{reader.GetString(0)} scheduled at {reader.GetDateTime(2):HH:mm:ss.fff} ran on {reader.GetString(1)}");
        }

        return string.Join('\n', lines);
    }

    public static async Task<Dictionary<string, long>> RunsPerNodeAsync(string database, DateTime since)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT node, count(*) FROM synthetic_runs WHERE started_at >= $1 GROUP BY node", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = since });
        var result = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = reader.GetInt64(1);
        }

        return result;
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
