using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cluster;

/// <summary>Cluster node configuration for tests: one stand-in target, four 1 s health checks on distinct paths.</summary>
internal static class ClusterTestConfig
{
    /// <summary>The stand-in paths of the four health checks (health, component_asr, component_license, component_redis).</summary>
    public static readonly string[] HealthPaths = ["/health", "/health/asr", "/health/license", "/health/redis"];

    public static Dictionary<string, string?> Node(Uri standIn, string connectionString, bool canary = false, string checkin = "2s")
    {
        var config = TestMonitor.FastConfig(standIn, canary: canary);
        config["Synthetic:Targets:0:Health:Interval"] = "1s";
        config["Synthetic:Targets:0:Health:Timeout"] = "800ms";
        config["Synthetic:Targets:0:Health:Detailed"] = "false";
        config["Synthetic:Targets:0:Canary:Interval"] = "2s";
        config["Synthetic:Targets:0:Canary:Timeout"] = "1500ms";
        config["Synthetic:Targets:0:Canary:MaxLatency"] = "1400ms";
        config["Synthetic:Targets:0:Canary:DegradedLatency"] = "1300ms";
        // First runs spread over the second: the nodes then compete for each fire, and share the work.
        config["Synthetic:SpreadStart"] = "true";
        config["Synthetic:Cluster:ConnectionString"] = connectionString;
        config["Synthetic:Cluster:CheckinInterval"] = checkin;
        return config;
    }

    public static Task<StandInServer> StandInAsync() =>
        StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });

    /// <summary>Requests per health path so far.</summary>
    public static Dictionary<string, long> Counts(StandInServer standIn)
    {
        var stats = standIn.Stats;
        return HealthPaths.ToDictionary(p => p, p => stats.RequestsByPath.TryGetValue(p, out var n) ? n : 0);
    }
}
