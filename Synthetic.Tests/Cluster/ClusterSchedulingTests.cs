using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cluster;

/// <summary>Several in-process nodes on one real PostgreSQL against the stand-in, which counts the requests per check.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterSchedulingTests(PostgresServer postgres)
{
    [Theory]
    [InlineData(2, 20)]
    [InlineData(3, 15)]
    public async Task Nodes_RunTogether_EachCheckOncePerIntervalAndTheSameStatus(int count, int seconds)
    {
        await using var standIn = await ClusterTestConfig.StandInAsync();
        var database = await postgres.CreateDatabaseAsync();
        var nodes = new List<TestMonitor>();
        try
        {
            // Started together: the migration and the reconciliation must survive the race.
            nodes.AddRange(await Task.WhenAll(Enumerable.Range(0, count).Select(_ => TestMonitor.StartAsync(ClusterTestConfig.Node(standIn.BaseUrl, database)))));
            await ClusterAssertions.WaitForNodesAsync(nodes.Select(n => n.Http), count, TimeSpan.FromSeconds(15));

            Dictionary<string, long> perNode;
            try
            {
                perNode = await ClusterAssertions.ExactlyOncePerIntervalAsync(standIn, database, TimeSpan.FromSeconds(seconds));
            }
            catch (Xunit.Sdk.XunitException e)
            {
                // What the nodes said about it (misfires, recovered triggers, late check-ins) is the first thing to read.
                var said = nodes.SelectMany((n, i) => n.Logs.Lines.Where(l => !l.StartsWith("Debug", StringComparison.Ordinal) &&
                    !l.StartsWith("Trace", StringComparison.Ordinal)).TakeLast(15).Select(l => $"node {i}: {l}"));
                throw new Xunit.Sdk.XunitException(e.Message + "\nWhat the nodes logged last (Debug and Trace left out):\n" + string.Join('\n', said));
            }

            Assert.Equal(2L, await PostgresServerTests.ScalarAsync(database, "SELECT count(*) FROM synthetic_schema_version"));
            Assert.Equal(4L, await PostgresServerTests.ScalarAsync(database, "SELECT count(*) FROM qrtz_triggers"));
            var statuses = await Task.WhenAll(nodes.Select(n => n.StatusAsync()));
            ClusterAssertions.StatusesAgree(statuses);
            Assert.True(perNode.Values.Sum() >= 4 * (seconds - 2), "runs per node: " + string.Join(", ", perNode));
            // Checks the other nodes fire are not this node's backlog: no node says it is behind.
            Assert.All(statuses, s => Assert.Equal(0, s.GetProperty("saturation").GetProperty("lateChecks").GetInt32()));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task FalsePositive_HealthAndCanaryOnAnyNodes_EveryNodeReportsTheOneVerdict()
    {
        await using var standIn = await ClusterTestConfig.StandInAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using var first = await TestMonitor.StartAsync(ClusterTestConfig.Node(standIn.BaseUrl, database, canary: true));
        await using var second = await TestMonitor.StartAsync(ClusterTestConfig.Node(standIn.BaseUrl, database, canary: true));
        await ClusterAssertions.WaitForNodesAsync([first.Http, second.Http], 2, TimeSpan.FromSeconds(15));

        standIn.SetMode(new StandInMode("false-positive"));
        foreach (var node in new[] { first, second })
        {
            await node.WaitForMetricsAsync(t => MetricsText.Has(t, "synthetic_health_false_positive", 1, ("target", "standin")) &&
                                                MetricsText.Has(t, "synthetic_probe_success", 0, ("probe", "transcription")),
                TimeSpan.FromSeconds(20), "the false-positive verdict on every node");
        }

        standIn.SetMode(StandInMode.Healthy);
        foreach (var node in new[] { first, second })
        {
            await node.WaitForMetricsAsync(t => MetricsText.Has(t, "synthetic_health_false_positive", 0, ("target", "standin")),
                TimeSpan.FromSeconds(20), "the verdict cleared on every node");
        }
    }

    [Fact]
    public async Task RateLimited_TwoNodes_EveryNodeHonoursTheRetryAfter()
    {
        await using var standIn = await ClusterTestConfig.StandInAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using var first = await TestMonitor.StartAsync(ClusterTestConfig.Node(standIn.BaseUrl, database, canary: true));
        await using var second = await TestMonitor.StartAsync(ClusterTestConfig.Node(standIn.BaseUrl, database, canary: true));
        await ClusterAssertions.WaitForNodesAsync([first.Http, second.Http], 2, TimeSpan.FromSeconds(15));

        // The canary fires every 2 s, on either node; after the first 429 the whole cluster waits out the 10 s.
        standIn.SetMode(new StandInMode("rate-limited", RetryAfterSeconds: 10));
        await first.WaitForMetricsAsync(t => MetricsText.AtLeast(t, "synthetic_probe_failures_total", 1, ("probe", "transcription"), ("reason", "rate_limited")) ||
                                             MetricsText.Has(t, "synthetic_probe_success", 0, ("probe", "transcription")),
            TimeSpan.FromSeconds(15), "the canary rate-limited");
        var before = Canary(standIn);
        await Task.Delay(TimeSpan.FromSeconds(20));
        var requests = Canary(standIn) - before;

        // Two nodes each backing off alone would send about 7 in 20 s (every fire on the other node); shared, 2 and a race.
        Assert.True(requests <= 4, $"{requests} canary requests in 20 s under a 10 s retry_after; statuses: {await first.StatusAsync()} {await second.StatusAsync()}");
        Assert.True(requests >= 1, "no canary request in 20 s: the back-off never ended");
    }

    private static long Canary(StandInServer standIn) => standIn.Stats.RequestsByPath.TryGetValue("/v1/listen", out var n) ? n : 0;
}
