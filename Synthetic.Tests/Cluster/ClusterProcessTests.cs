using System.Text.Json;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cluster;

/// <summary>
/// The shipped executable as a cluster node, at a load where Quartz fires triggers in batches of 100: its job store
/// then reads many job rows in one answer, synchronously column by column. With socket completions inline (the
/// single monitor's setting) such a read blocked the socket engine's own thread until Npgsql's 30 s timeout, holding
/// the cluster's trigger lock, and the node ran a few hundred of the 2,000 runs due (bench scenario 6 collapsed).
/// The bound is loose (2 of 5 runs due): the freeze it guards against leaves most checks with none.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterProcessTests(PostgresServer postgres)
{
    private const int Checks = 200;

    [Fact]
    public async Task ShippedNode_200ChecksFiredTogether_EveryCheckKeepsRunning()
    {
        await using var standIn = await ClusterTestConfig.StandInAsync();
        var database = await postgres.CreateDatabaseAsync();
        var port = FreePort.Next();
        var directory = Directory.CreateTempSubdirectory("synthetic-cluster-node-");
        try
        {
            var file = Path.Combine(directory.FullName, "node.json");
            await File.WriteAllTextAsync(file, NodeConfig(standIn.BaseUrl, database, port));
            await using var node = ProcessHost.Start("dotnet", [SyntheticBinary.Path, "--config", file], RepoPaths.Root);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await node.WaitReadyAsync(new Uri(http.BaseAddress, "/metrics"), TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(6));
            var before = Runs(await MetricsAsync(http, node));
            // 15 s: five runs of every check are due.
            await Task.Delay(TimeSpan.FromSeconds(15));
            var after = Runs(await MetricsAsync(http, node));

            var behind = Enumerable.Range(0, Checks).Select(Name).Where(t => after[t] - before[t] < 2).ToList();
            Assert.True(behind.Count == 0,
                $"{behind.Count} of {Checks} checks ran fewer than 2 times in 15 s at a 3 s interval " +
                $"(runs in the window: {after.Values.Sum() - before.Values.Sum()} of {Checks * 5} due); node output:\n{node.Output}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<string> MetricsAsync(HttpClient http, ProcessHost node)
    {
        try
        {
            return await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }
        catch (TaskCanceledException)
        {
            Assert.Fail($"the node stopped answering /metrics within 10 s (frozen); its output:\n{node.Output}");
            throw;
        }
    }

    private static string Name(int i) => $"t{i:D3}";

    private static Dictionary<string, double> Runs(string metrics) => Enumerable.Range(0, Checks).Select(Name).ToDictionary(t => t,
        t => MetricsText.Value(metrics, "synthetic_probe_runs_total", ("target", t), ("probe", "health"), ("outcome", "success")) ?? 0);

    private static string NodeConfig(Uri standIn, string connectionString, int port) => JsonSerializer.Serialize(new
    {
        Synthetic = new
        {
            Listen = $"http://127.0.0.1:{port}",
            // All first runs at once: every round fires as batches of 100 triggers.
            SpreadStart = false,
            Cluster = new { ConnectionString = connectionString, CheckinInterval = "2s" },
            Targets = Enumerable.Range(0, Checks).Select(i => new
            {
                Name = Name(i),
                BaseUrl = standIn.ToString().TrimEnd('/'),
                Health = new { Interval = "3s", Timeout = "1s", Detailed = false, Components = string.Empty },
                Canary = new { Enabled = false },
            }),
        },
    });
}
