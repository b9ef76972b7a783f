using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Synthetic.Probing;

namespace Synthetic.Cluster;

/// <summary>
/// Before Quartz starts: migrates the schema (under the migration lock) and registers this node. A database not yet
/// reachable is retried for <see cref="StartupPatience"/> (nodes and database often start together), then start-up
/// fails with the reason, never with the connection string.
/// </summary>
internal sealed partial class ClusterStartup(ClusterNode node, ILogger<ClusterStartup> logger) : IHostedService
{
    internal static readonly TimeSpan StartupPatience = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var redactor = new Redactor(new NpgsqlConnectionStringBuilder(node.Options.ResolvedConnectionString).Password);
        var deadline = DateTime.UtcNow + StartupPatience;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ClusterSchema.MigrateAsync(node.DataSource, logger, cancellationToken);
                await using var connection = await node.DataSource.OpenConnectionAsync(cancellationToken);
                await ClusterDatabase.HeartbeatAsync(connection, node, cancellationToken);
                LogJoined(node.Id, node.Fingerprint, node.Checks);
                return;
            }
            catch (Exception ex) when (ClusterSync.IsDatabaseFault(ex) && !cancellationToken.IsCancellationRequested)
            {
                var why = redactor.Apply(ex.Message);
                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"cluster database (Synthetic:Cluster) unreachable after {attempt} attempts: {why}");
                }

                if (attempt == 1)
                {
                    LogWaiting(why);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 620, Level = LogLevel.Information, Message = "Cluster: joined as node {Node} with configuration {Fingerprint} ({Checks} checks)")]
    private partial void LogJoined(string node, string fingerprint, int checks);

    [LoggerMessage(EventId = 621, Level = LogLevel.Warning, Message = "Cluster database not reachable yet ({Why}); retrying")]
    private partial void LogWaiting(string why);
}
