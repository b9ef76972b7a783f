using System.Net;
using System.Net.Sockets;

namespace Synthetic.Bench;

/// <summary>What every scenario shares: options, paths, helper processes to stop, an HTTP client, the report.</summary>
internal sealed class BenchContext : IAsyncDisposable
{
    private readonly List<Child> _children = [];
    private readonly Lock _gate = new();
    private readonly HashSet<int> _usedPorts = [];

    public BenchContext(BenchOptions options)
    {
        Options = options;
        Directory.CreateDirectory(options.Tmp);
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        Report = new Report(options);
    }

    public BenchOptions Options { get; }

    /// <summary>Control-plane client (waits, scrapes, mode switches): keep-alive, so it costs the servers little.</summary>
    public HttpClient Http { get; }

    public Report Report { get; }

    public string SyntheticDll => Path.Combine(Options.App, "Synthetic.dll");

    public string StandInDll => Path.Combine(Options.App, "Synthetic.StandIn.dll");

    public string FixturesPath => Path.Combine(Options.Repo, "fixtures", "audio");

    public static string BenchDll => typeof(BenchContext).Assembly.Location;

    public void Track(Child child)
    {
        lock (_gate)
        {
            _children.Add(child);
        }
    }

    /// <summary>A free TCP port on 127.0.0.1 below the ephemeral range, so outgoing connections never take it.</summary>
    public int FreePort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20000, 32000);
            lock (_gate)
            {
                if (!_usedPorts.Add(port))
                {
                    continue;
                }
            }

            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new BenchException("no free port found in 20000-32000 on 127.0.0.1");
    }

    public string TmpFile(string name) => Path.Combine(Options.Tmp, name);

    public async ValueTask DisposeAsync()
    {
        List<Child> children;
        lock (_gate)
        {
            children = [.. _children];
            _children.Clear();
        }

        foreach (var child in Enumerable.Reverse(children))
        {
            await child.DisposeAsync();
        }

        Http.Dispose();
    }
}

internal sealed class BenchException(string message) : Exception(message);

internal static class BenchLog
{
    private static readonly DateTime Started = DateTime.UtcNow;

    public static void Info(string message) =>
        Console.WriteLine($"[bench {(DateTime.UtcNow - Started).TotalSeconds,6:F1}s] {message}");
}

internal static class StringExtensions
{
    public static string Truncate(this string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
