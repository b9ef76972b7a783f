using System.Globalization;
using System.Net;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cluster;

/// <summary>
/// Faults against the real PostgreSQL: a node process killed with SIGKILL (its checks resume on the survivors), and
/// the database stopped and started again (nodes say so, serve what they knew, and recover without a restart).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterFaultTests(PostgresServer postgres)
{
    /// <summary>
    /// CheckinInterval 2 s + check-in misfire threshold (CheckinInterval + 5 s = 7 s) + misfire threshold 5 s + one 1 s
    /// interval = 15 s, and 2 s for a loaded machine.
    /// </summary>
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(17);

    [Fact]
    public async Task KillNine_OneOfThreeNodes_ChecksResumeOnTheSurvivorsWithinTheBound()
    {
        await using var standIn = await ClusterTestConfig.StandInAsync();
        var database = await postgres.CreateDatabaseAsync();
        var port = FreePort.Next();
        var config = ClusterTestConfig.Node(standIn.BaseUrl, database);
        config["Synthetic:Listen"] = $"http://127.0.0.1:{port}";
        var victim = ProcessHost.Start("dotnet", [SyntheticBinary.Path, .. config.Select(kv => $"--{kv.Key}={kv.Value}")], RepoPaths.Root);
        await using var second = await TestMonitor.StartAsync(ClusterTestConfig.Node(standIn.BaseUrl, database));
        await using var third = await TestMonitor.StartAsync(ClusterTestConfig.Node(standIn.BaseUrl, database));
        using var victimHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await victim.WaitReadyAsync(new Uri(victimHttp.BaseAddress!, "/metrics"), TimeSpan.FromSeconds(30));
            await ClusterAssertions.WaitForNodesAsync([victimHttp, second.Http, third.Http], 3, TimeSpan.FromSeconds(20));
            // Kill it while it is doing work: it has run checks within the last 2 s.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            long victimRuns = 0;
            while (DateTime.UtcNow < deadline && victimRuns == 0)
            {
                await Task.Delay(250);
                victimRuns = await PostgresServerTests.ScalarAsync(database,
                    $"SELECT count(*) FROM synthetic_runs WHERE node NOT LIKE '%-{Environment.ProcessId}-%' AND started_at > now() - interval '2 seconds'");
            }

            Assert.True(victimRuns > 0, "the node to kill ran no check: nothing to take over");
        }
        finally
        {
            await victim.DisposeAsync(); // Process.Kill: SIGKILL, no shutdown of any kind
        }

        var killedAt = DateTime.UtcNow;
        await Task.Delay(FailoverBound + TimeSpan.FromSeconds(3));
        var perNode = await ClusterAssertions.ExactlyOncePerIntervalAsync(standIn, database, TimeSpan.FromSeconds(8));

        // No check lost: the largest gap between two runs of a check across the kill stays within the bound.
        var gap = await PostgresServerTests.ScalarAsync(database, $"""
            SELECT COALESCE(max(extract(epoch FROM gap) * 1000), 0)::bigint FROM (
              SELECT started_at - lag(started_at) OVER (PARTITION BY target, probe ORDER BY started_at) AS gap
              FROM synthetic_runs WHERE started_at > '{killedAt.AddSeconds(-5).ToString("o", CultureInfo.InvariantCulture)}') runs
            """);
        Assert.True(gap <= FailoverBound.TotalMilliseconds, $"a check went {gap} ms without a run across the kill (bound {FailoverBound.TotalSeconds} s)");
        // Only survivors ran checks after the kill (Quartz need not split the work between them evenly, or at all).
        Assert.InRange(perNode.Count, 1, 2);
        await ClusterAssertions.WaitForNodesAsync([second.Http, third.Http], 2, TimeSpan.FromSeconds(10));
        ClusterAssertions.StatusesAgree([await second.StatusAsync(), await third.StatusAsync()]);
    }

    [Fact]
    public async Task DatabaseStopped_TwoNodes_ReportItServeTheLastStateAndRecoverWithoutRestart()
    {
        await using var standIn = await ClusterTestConfig.StandInAsync();
        var database = await postgres.CreateDatabaseAsync(password: "pw-7f3e9c2a5b");
        var nodes = new[]
        {
            await TestMonitor.StartAsync(ClusterTestConfig.Node(standIn.BaseUrl, database)),
            await TestMonitor.StartAsync(ClusterTestConfig.Node(standIn.BaseUrl, database)),
        };
        try
        {
            await ClusterAssertions.WaitForNodesAsync(nodes.Select(n => n.Http), 2, TimeSpan.FromSeconds(15));
            await Task.Delay(TimeSpan.FromSeconds(2));
            await postgres.StopAsync();
            try
            {
                foreach (var node in nodes)
                {
                    await node.WaitForMetricsAsync(t => MetricsText.Has(t, "synthetic_cluster_db_up", 0), TimeSpan.FromSeconds(10), "db_up 0");
                    using var healthz = await node.Http.GetAsync("/healthz");
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, healthz.StatusCode);
                    var status = await node.StatusAsync();
                    Assert.Contains("\"outcome\"", status.GetRawText(), StringComparison.Ordinal);
                }

                await Task.Delay(TimeSpan.FromSeconds(10));
            }
            finally
            {
                await postgres.StartAsync();
            }

            var restartedAt = DateTime.UtcNow;
            foreach (var node in nodes)
            {
                await node.WaitForMetricsAsync(t => MetricsText.Has(t, "synthetic_cluster_db_up", 1), TimeSpan.FromSeconds(15), "db_up 1 again");
            }

            // Every configured check runs again, without a restart of any node.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            long resumed = 0;
            while (DateTime.UtcNow < deadline && resumed < 4)
            {
                await Task.Delay(500);
                resumed = await PostgresServerTests.ScalarAsync(database,
                    $"SELECT count(DISTINCT probe) FROM synthetic_runs WHERE started_at > '{restartedAt.ToString("o", CultureInfo.InvariantCulture)}'");
            }

            Assert.Equal(4L, resumed);
            foreach (var node in nodes)
            {
                // Healthy again by itself: right after the outage the nodes recover each other's triggers, so the
                // first seconds fire irregularly and /healthz's 3-interval window may still say 503 for a moment.
                var healthyBy = DateTime.UtcNow + TimeSpan.FromSeconds(20);
                string body;
                HttpStatusCode code;
                do
                {
                    using var healthz = await node.Http.GetAsync("/healthz");
                    (code, body) = (healthz.StatusCode, await healthz.Content.ReadAsStringAsync());
                    await Task.Delay(code == HttpStatusCode.OK ? 0 : 250);
                }
                while (code != HttpStatusCode.OK && DateTime.UtcNow < healthyBy);

                Assert.True(code == HttpStatusCode.OK, "/healthz 20 s after recovery: " + body + "\n" + string.Join('\n', node.Logs.Lines.TakeLast(40)));
                // One line per change of state, not one per attempt; never the password.
                Assert.Single(node.Logs.Lines, l => l.Contains("Cluster database unreachable", StringComparison.Ordinal));
                Assert.Single(node.Logs.Lines, l => l.Contains("Cluster database reachable again", StringComparison.Ordinal));
                Assert.DoesNotContain("pw-7f3e9c2a5b", node.Logs.All, StringComparison.Ordinal);
                Assert.DoesNotContain("pw-7f3e9c2a5b", await node.MetricsAsync(), StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
