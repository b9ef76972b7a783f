using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cluster;

/// <summary>The configuration is the source of truth for the cluster's schedule; nodes with different ones are named.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterReconcileTests(PostgresServer postgres)
{
    [Fact]
    public async Task Restart_ChangedConfiguration_AddsReschedulesRemovesAndKeeps()
    {
        await using var standIn = await ClusterTestConfig.StandInAsync();
        var database = await postgres.CreateDatabaseAsync();
        var first = ClusterTestConfig.Node(standIn.BaseUrl, database);
        await using (await TestMonitor.StartAsync(first))
        {
        }

        var startTimes = await StartTimesAsync(database);
        Assert.Equal(4, startTimes.Count);

        // Same configuration again: every trigger kept as it was (no re-spread, no moved schedule).
        await using (var again = await TestMonitor.StartAsync(first))
        {
            Assert.Contains(again.Logs.Lines, l => l.Contains("0 added, 0 rescheduled, 0 removed, 4 kept", StringComparison.Ordinal));
        }

        Assert.Equal(startTimes, await StartTimesAsync(database));

        // Health every 2 s instead of 1 s (4 rescheduled), the redis component dropped (1 removed), the canary added (1 added).
        var changed = ClusterTestConfig.Node(standIn.BaseUrl, database, canary: true);
        changed["Synthetic:Targets:0:Health:Interval"] = "2s";
        changed["Synthetic:Targets:0:Health:Components:0"] = "asr";
        changed["Synthetic:Targets:0:Health:Components:1"] = "license";
        await using (var node = await TestMonitor.StartAsync(changed))
        {
            Assert.Contains(node.Logs.Lines, l => l.Contains("1 added, 3 rescheduled, 1 removed, 0 kept", StringComparison.Ordinal));
        }

        Assert.Equal(2000L, await PostgresServerTests.ScalarAsync(database,
            "SELECT repeat_interval FROM qrtz_simple_triggers WHERE trigger_name = 'standin/health'"));
        Assert.Equal(0L, await PostgresServerTests.ScalarAsync(database, "SELECT count(*) FROM qrtz_triggers WHERE trigger_name = 'standin/component_redis'"));
        Assert.Equal(1L, await PostgresServerTests.ScalarAsync(database, "SELECT count(*) FROM qrtz_triggers WHERE trigger_name = 'standin/transcription'"));
    }

    [Fact]
    public async Task TwoNodes_DifferentConfigurations_WarningNamesTheOtherNode()
    {
        await using var standIn = await ClusterTestConfig.StandInAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using var first = await TestMonitor.StartAsync(ClusterTestConfig.Node(standIn.BaseUrl, database));
        var other = ClusterTestConfig.Node(standIn.BaseUrl, database);
        other["Synthetic:Targets:0:Health:Interval"] = "3s";
        await using var second = await TestMonitor.StartAsync(other);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline && !first.Logs.Lines.Any(l => l.Contains("different configurations", StringComparison.Ordinal)))
        {
            await Task.Delay(200);
        }

        var warning = Assert.Single(first.Logs.Lines, l => l.Contains("different configurations", StringComparison.Ordinal));
        Assert.Contains("(configuration ", warning, StringComparison.Ordinal);
        Assert.Contains("4 checks", warning, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, long>> StartTimesAsync(string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT trigger_name, start_time FROM qrtz_triggers", connection);
        var result = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = reader.GetInt64(1);
        }

        return result;
    }
}
