using Synthetic.StandIn;
using Synthetic.Tests.Support;
using Xunit.Abstractions;

namespace Synthetic.Tests.Cluster;

/// <summary>
/// Two clustered nodes on one real PostgreSQL, both scraped by a real Prometheus (two scrape targets, two
/// <c>instance</c> labels) with the shipped rules and routed by a real Alertmanager with the shipped routing: one
/// fault is one alert at the webhook, not one per replica.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterAlertingTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const string FalsePositiveAlert = "SyntheticHealthFalsePositive";

    [Fact]
    public async Task FalsePositive_TwoReplicasScraped_ReachesTheWebhookOnceAndResolvesOnce()
    {
        await using var standIn = await ClusterTestConfig.StandInAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using var first = await TestMonitor.StartAsync(ClusterTestConfig.Node(standIn.BaseUrl, database, canary: true));
        await using var second = await TestMonitor.StartAsync(ClusterTestConfig.Node(standIn.BaseUrl, database, canary: true));
        await ClusterAssertions.WaitForNodesAsync([first.Http, second.Http], 2, TimeSpan.FromSeconds(15));
        await using var stack = await AlertStack.StartAsync([first.BaseUrl, second.BaseUrl]);

        await stack.WaitForQueryAsync("count(up{job=\"synthetic\"} == 1) == 2", TimeSpan.FromSeconds(30));
        await stack.WaitForQueryAsync("count(synthetic_probe_success{probe=\"transcription\"} == 1) == 2", TimeSpan.FromSeconds(30));

        var faultAt = stack.Webhook.Now;
        standIn.SetMode(new StandInMode("false-positive"));
        // Both replicas export the shared verdict under their own instance: without the aggregation it would be two alerts.
        await stack.WaitForQueryAsync("count(count by (instance) (synthetic_health_false_positive == 1)) == 2", TimeSpan.FromSeconds(60));
        var firing = await stack.Webhook.WaitForAsync(FalsePositiveAlert, "firing", faultAt, TimeSpan.FromMinutes(3), stack.Context);
        output.WriteLine($"false-positive fault → firing notification: {(firing.At - faultAt).TotalSeconds:F1} s");
        Assert.False(firing.Labels.ContainsKey("instance"), "the alert must not carry a replica's instance: " + string.Join(", ", firing.Labels));
        Assert.Equal("standin", firing.Labels["target"]);

        // Several group_interval (1 s) rounds later: still the one notification, and Alertmanager holds one alert.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var alerts = await stack.AlertmanagerAlertsAsync(FalsePositiveAlert);
        Assert.Single(alerts);
        Assert.Single(Received(stack.Webhook, "firing", faultAt));

        var recoveredAt = stack.Webhook.Now;
        standIn.SetMode(StandInMode.Healthy);
        var resolved = await stack.Webhook.WaitForAsync(FalsePositiveAlert, "resolved", recoveredAt, TimeSpan.FromMinutes(2), stack.Context);
        output.WriteLine($"recovery → resolved notification: {(resolved.At - recoveredAt).TotalSeconds:F1} s");
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Single(Received(stack.Webhook, "resolved", recoveredAt));
        Assert.Single(Received(stack.Webhook, "firing", faultAt));
    }

    private static List<Notification> Received(WebhookReceiver webhook, string status, TimeSpan since) =>
        [.. webhook.Notifications.Where(n => n.At >= since && n.Status == status && n.Labels.GetValueOrDefault("alertname") == FalsePositiveAlert)];
}
