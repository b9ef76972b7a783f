using Microsoft.Extensions.Logging;
using Npgsql;

namespace Synthetic.Cluster;

/// <summary>
/// Creates or migrates the schema (Quartz's qrtz_* tables and Synthetic's own) at start-up. Several nodes may start
/// at once: the migration runs under a PostgreSQL advisory lock, reads the applied versions from
/// <c>synthetic_schema_version</c>, and applies each missing script in its own transaction, so exactly one node
/// migrates and the others find the work done.
/// </summary>
internal static partial class ClusterSchema
{
    /// <summary>Advisory lock keys (one 64-bit namespace shared with nothing else in the database).</summary>
    internal const long MigrationLock = 0x53796E7468_01;

    internal const long ReconcileLock = 0x53796E7468_02;

    internal static readonly IReadOnlyList<(int Version, string Script)> Migrations = [(1, "001_quartz"), (2, "002_synthetic")];

    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLock})", cancellationToken);
        try
        {
            await ExecuteAsync(connection,
                "CREATE TABLE IF NOT EXISTS synthetic_schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                cancellationToken);
            var applied = new HashSet<int>();
            await using (var read = new NpgsqlCommand("SELECT version FROM synthetic_schema_version", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            var count = 0;
            foreach (var (version, script) in Migrations.Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var command = new NpgsqlCommand(Read(script), connection, transaction))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var record = new NpgsqlCommand("INSERT INTO synthetic_schema_version (version) VALUES (@v)", connection, transaction))
                {
                    record.Parameters.AddWithValue("v", version);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                LogApplied(logger, version, script);
                count++;
            }

            return count;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
        }
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Read(string script)
    {
        using var stream = typeof(ClusterSchema).Assembly.GetManifestResourceStream($"Synthetic.Cluster.Schema.{script}.sql")
                           ?? throw new InvalidOperationException($"schema script {script}.sql is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Cluster schema: applied migration {Version} ({Script})")]
    private static partial void LogApplied(ILogger logger, int version, string script);
}
