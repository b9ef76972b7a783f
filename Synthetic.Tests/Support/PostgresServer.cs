using System.Globalization;
using Npgsql;

namespace Synthetic.Tests.Support;

/// <summary>
/// One real PostgreSQL (Debian's) per test run: a temporary data directory, a free port on 127.0.0.1 and its unix
/// socket inside the temporary directory, started on first use and removed at the end. Each test takes a fresh
/// database (<see cref="CreateDatabaseAsync"/>) so tests never see each other's rows. It refuses to run as root, so
/// as root it runs as the <c>postgres</c> user. <see cref="StopAsync"/>/<see cref="StartAsync"/> make outages.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string Superuser = "synthetic";
    private string _bin = string.Empty;
    private string _root = string.Empty;
    private bool _asPostgresUser;

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_root, "data");

    private string SocketDirectory => Path.Combine(_root, "sock");

    public bool IsRunning { get; private set; }

    public async Task InitializeAsync()
    {
        _bin = FindBin();
        _root = Path.Combine(Path.GetTempPath(), "synthetic-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(SocketDirectory);
        _asPostgresUser = Environment.UserName == "root";
        if (_asPostgresUser)
        {
            var chown = await ExternalTool.RunAsync("chown", ["-R", "postgres:postgres", _root]);
            Assert.True(chown.ExitCode == 0, "chown of the PostgreSQL test directory failed: " + chown.Combined);
        }

        var init = await RunAsync("initdb", ["-D", DataDirectory, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
        Assert.True(init.ExitCode == 0, "initdb failed: " + init.Combined);
        Port = FreePort.Next();
        await StartAsync();
    }

    /// <summary>Starts (or restarts after <see cref="StopAsync"/>) the server on the same port and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        string options = string.Join(' ',
            "-c listen_addresses=127.0.0.1", "-p " + Port.ToString(CultureInfo.InvariantCulture), "-k " + SocketDirectory,
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=300");
        var start = await RunAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "30", "-o", options, "start"]);
        Assert.True(start.ExitCode == 0, "PostgreSQL did not start: " + start.Combined + ReadLog());
        IsRunning = true;
    }

    /// <summary>Stops the server at once (fast shutdown: every connection is closed), as an outage.</summary>
    public async Task StopAsync()
    {
        var stop = await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);
        Assert.True(stop.ExitCode == 0, "PostgreSQL did not stop: " + stop.Combined);
        IsRunning = false;
    }

    /// <summary>A fresh, empty database; returns its connection string (over TCP on 127.0.0.1).</summary>
    public async Task<string> CreateDatabaseAsync(string? password = null)
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name, password);
    }

    public string ConnectionString(string database, string? password = null)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = Superuser,
            Database = database,
            // Trust authentication ignores it; tests use it to prove a password never leaks.
            Password = password,
        };
        return builder.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (IsRunning)
        {
            await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string ReadLog()
    {
        var log = Path.Combine(_root, "server.log");
        return File.Exists(log) ? "\n" + File.ReadAllText(log) : string.Empty;
    }

    private Task<ToolResult> RunAsync(string tool, IEnumerable<string> arguments)
    {
        var path = Path.Combine(_bin, tool);
        return _asPostgresUser
            ? ExternalTool.RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], workingDirectory: _root, timeout: TimeSpan.FromSeconds(60))
            : ExternalTool.RunAsync(path, arguments, workingDirectory: _root, timeout: TimeSpan.FromSeconds(60));
    }

    private static string FindBin()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        var bin = versions.Select(v => Path.Combine(v, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
            .OrderByDescending(b => b, StringComparer.Ordinal)
            .FirstOrDefault();
        Assert.True(bin is not null,
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb). Install it with: apt-get update && apt-get install -y postgresql " +
            "(./test.sh does this for you).");
        return bin!;
    }
}

/// <summary>The test classes that share the one PostgreSQL of the test run; serial, since some stop the server.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
