using Npgsql;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cluster;

[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer postgres)
{
    [Fact]
    public async Task CreateDatabase_TwoCalls_GiveSeparateDatabases()
    {
        var first = await postgres.CreateDatabaseAsync();
        var second = await postgres.CreateDatabaseAsync();
        await ExecuteAsync(first, "CREATE TABLE marker (id int)");

        Assert.Equal(1L, await ScalarAsync(first, "SELECT count(*) FROM pg_tables WHERE tablename = 'marker'"));
        Assert.Equal(0L, await ScalarAsync(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'marker'"));
    }

    [Fact]
    public async Task StopThenStart_SameDatabase_RefusesThenServesAgain()
    {
        var database = await postgres.CreateDatabaseAsync();
        await ExecuteAsync(database, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)");

        await postgres.StopAsync();
        try
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync(database, "SELECT 1"));
        }
        finally
        {
            await postgres.StartAsync();
        }

        Assert.Equal(7L, await ScalarAsync(database, "SELECT sum(id) FROM kept"));
    }

    internal static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    internal static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
