using Npgsql;
using NpgsqlTypes;
using Synthetic.Results;

namespace Synthetic.Cluster;

/// <summary>The SQL of the shared truth: writing results, the heartbeat, reading changes and the live nodes.</summary>
internal static class ClusterDatabase
{
    private const string UpsertLatest = """
        INSERT INTO synthetic_latest AS l (target, probe, finished_at, node, latest, last_failure, history, version)
        VALUES ($1, $2, $3, $4, $5::jsonb, CASE WHEN $6 THEN $5::jsonb END, $7, nextval('synthetic_change_seq'))
        ON CONFLICT (target, probe) DO UPDATE SET
          finished_at = excluded.finished_at, node = excluded.node, latest = excluded.latest,
          last_failure = COALESCE(excluded.last_failure, l.last_failure),
          history = right(l.history || excluded.history, 10), version = excluded.version
        WHERE l.finished_at <= excluded.finished_at
        """;

    private const string InsertRun = """
        INSERT INTO synthetic_runs (target, probe, node, scheduled_at, started_at, finished_at, outcome, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        """;

    private const string Heartbeat = """
        INSERT INTO synthetic_nodes (node, fingerprint, checks, started_at, last_seen) VALUES ($1, $2, $3, now(), now())
        ON CONFLICT (node) DO UPDATE SET last_seen = now(), fingerprint = excluded.fingerprint, checks = excluded.checks
        """;

    /// <summary>Writes the results (and this node's heartbeat) in one transaction: all or none.</summary>
    public static async Task WriteAsync(NpgsqlConnection connection, ClusterNode node, IReadOnlyList<ProbeResult> results, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command(Heartbeat, node.Id, node.Fingerprint, node.Checks));
        foreach (var result in results)
        {
            var json = ResultJson.Serialize(result);
            batch.BatchCommands.Add(Command(UpsertLatest, result.Target, result.Probe, result.FinishedAt.UtcDateTime, node.Id,
                json, result.Outcome == Outcome.Failure, ResultJson.Letter(result.Outcome).ToString()));
            batch.BatchCommands.Add(Command(InsertRun, result.Target, result.Probe, node.Id,
                result.ScheduledAt is { } scheduled ? scheduled.UtcDateTime : DBNull.Value, result.StartedAt.UtcDateTime,
                result.FinishedAt.UtcDateTime, result.Outcome.Name(), (object?)result.Reason ?? DBNull.Value));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Rows changed since <paramref name="since"/> (all rows when 0), in change order.</summary>
    public static async Task<List<SharedRow>> ReadChangesAsync(NpgsqlConnection connection, long since, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT target, probe, node, finished_at, latest::text, last_failure::text, history, version FROM synthetic_latest " +
            "WHERE version > $1 ORDER BY version", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = since, NpgsqlDbType = NpgsqlDbType.Bigint });
        var rows = new List<SharedRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new SharedRow(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                new DateTimeOffset(reader.GetFieldValue<DateTime>(3), TimeSpan.Zero), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6), reader.GetInt64(7)));
        }

        return rows;
    }

    /// <summary>Nodes whose heartbeat is within the window: id, fingerprint, number of checks.</summary>
    public static async Task<List<(string Node, string Fingerprint, int Checks)>> ReadNodesAsync(NpgsqlConnection connection, TimeSpan alive,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT node, fingerprint, checks FROM synthetic_nodes WHERE last_seen > now() - $1 ORDER BY node", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = alive, NpgsqlDbType = NpgsqlDbType.Interval });
        var nodes = new List<(string, string, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            nodes.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return nodes;
    }

    /// <summary>Keeps the run log to an hour and forgets nodes gone for a day.</summary>
    public static async Task PruneAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM synthetic_runs WHERE finished_at < now() - interval '1 hour'"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM synthetic_nodes WHERE last_seen < now() - interval '1 day'"));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public static Task HeartbeatAsync(NpgsqlConnection connection, ClusterNode node, CancellationToken cancellationToken) =>
        WriteAsync(connection, node, [], cancellationToken);

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}

/// <summary>One check's row of the shared latest results.</summary>
internal sealed record SharedRow(string Target, string Probe, string Node, DateTimeOffset FinishedAt, string Latest, string? LastFailure,
    string History, long Version);
