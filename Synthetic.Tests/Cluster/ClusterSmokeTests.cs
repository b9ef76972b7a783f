using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cluster;

[Collection(PostgresCollection.Name)]
public sealed class ClusterSmokeTests(PostgresServer postgres)
{
    [Fact]
    public async Task OneNode_Cluster_RunsChecksAndWritesThem()
    {
        await using var standIn = await ClusterTestConfig.StandInAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using var node = await TestMonitor.StartAsync(ClusterTestConfig.Node(standIn.BaseUrl, database));
        await node.WaitForMetricsAsync(t => MetricsText.Has(t, "synthetic_probe_success", 1, ("probe", "health")), TimeSpan.FromSeconds(15), "a health result");
        await Task.Delay(2000);
        var text = await node.MetricsAsync();
        Assert.Equal(1, MetricsText.Value(text, "synthetic_cluster_db_up"));
        Assert.Equal(1, MetricsText.Value(text, "synthetic_cluster_nodes"));
        Assert.True(await PostgresServerTests.ScalarAsync(database, "SELECT count(*) FROM synthetic_runs") > 0);
    }
}
