using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Synthetic.Bench;

/// <summary>
/// Debian's PostgreSQL for the cluster scenario: a fresh data directory under the scratch folder, 127.0.0.1 on a free
/// port, run in the foreground as a tracked child (so it is stopped with the run). As root it runs as <c>postgres</c>
/// (through <c>setpriv</c>, which execs: the tracked pid is the postmaster's own).
/// </summary>
internal sealed class BenchPostgres(Child child, int port, string root) : IAsyncDisposable
{
    public int Port => port;

    /// <summary>
    /// CPU of the whole server in milliseconds: the postmaster (with its exited children) and every live backend and
    /// auxiliary process (its children), from /proc/PID/stat.
    /// </summary>
    public double CpuMs()
    {
        double ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            double Field(int index) => double.Parse(fields[index], CultureInfo.InvariantCulture);
            if (pid == child.Pid)
            {
                ticks += Field(11) + Field(12) + Field(13) + Field(14);
            }
            else if ((int)Field(1) == child.Pid)
            {
                ticks += Field(11) + Field(12);
            }
        }

        return ticks * 10;
    }

    public static async Task<BenchPostgres> StartAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order().LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new BenchException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql");
        }

        // Not under the scratch folder: that one is private to the driver's user, and the server may run as postgres.
        var root = Path.Combine(Path.GetTempPath(), "synthetic-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(root, "sock"));
        var asPostgres = Environment.UserName == "root";
        string[] prefix = asPostgres ? ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"] : [];
        if (asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", root], cancellationToken);
        }

        var data = Path.Combine(root, "data");
        await RunAsync(prefix.Length > 0 ? prefix[0] : Path.Combine(bin, "initdb"),
            [.. prefix.Skip(1), .. prefix.Length > 0 ? [Path.Combine(bin, "initdb")] : Array.Empty<string>(),
             "-D", data, "-U", "synthetic", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"], cancellationToken);
        var port = context.FreePort();
        string[] server = [Path.Combine(bin, "postgres"), "-D", data, "-p", port.ToString(CultureInfo.InvariantCulture), "-k", Path.Combine(root, "sock"),
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "max_connections=200",
            "-c", "shared_preload_libraries=pg_stat_statements", "-c", "pg_stat_statements.track=all"];
        var child = prefix.Length > 0
            ? Child.Start(context, "pg", prefix[0], [.. prefix.Skip(1), .. server], workingDirectory: root)
            : Child.Start(context, "pg", server[0], server.Skip(1), workingDirectory: root);
        var postgres = new BenchPostgres(child, port, root);
        var deadline = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                await postgres.ScalarAsync("postgres", "SELECT 1", cancellationToken);
                return postgres;
            }
            catch (NpgsqlException) when (Stopwatch.GetElapsedTime(deadline) < TimeSpan.FromSeconds(30))
            {
                child.EnsureRunning();
                await Task.Delay(250, cancellationToken);
            }
        }
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "synthetic", Database = database }.ConnectionString;

    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await ScalarAsync("postgres", $"CREATE DATABASE {name}", cancellationToken);
        await ScalarAsync(name, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements", cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>Committed plus rolled-back transactions of one database so far (pg_stat_database).</summary>
    public async Task<double> TransactionsAsync(string database, CancellationToken cancellationToken)
    {
        // The statistics are a snapshot per transaction: a fresh connection and pg_stat_clear_snapshot see the latest.
        var value = await ScalarAsync("postgres",
            $"SELECT pg_stat_clear_snapshot(), (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{database}')", cancellationToken, column: 1);
        return Convert.ToDouble(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Statements executed in one database so far (pg_stat_statements calls, nested ones included).</summary>
    public async Task<double> StatementsAsync(string database, CancellationToken cancellationToken)
    {
        var value = await ScalarAsync(database,
            $"SELECT COALESCE(sum(calls), 0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '{database}')", cancellationToken);
        return Convert.ToDouble(value, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await child.DisposeAsync();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<object?> ScalarAsync(string database, string sql, CancellationToken cancellationToken, int column = 0)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? reader.GetValue(column) : null;
    }

    private static async Task RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new BenchException($"{program} {string.Join(' ', info.ArgumentList)} failed ({process.ExitCode}): {await output} {await error}");
        }
    }
}
