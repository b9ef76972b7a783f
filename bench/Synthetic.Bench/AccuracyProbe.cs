using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Synthetic.Configuration;
using Synthetic.Checks.Health;
using Synthetic.Probing;
using Synthetic.Results;

namespace Synthetic.Bench;

/// <summary>
/// Helper process of scenario 2: the monitor's own <see cref="HealthProbe"/> against one URL, one run after another,
/// each result printed as <c>SAMPLE index total_seconds processing_seconds ok</c>. A process of its own (started
/// with the shipped monitor's runtimeconfig), so nothing else in it disturbs what it measures, as in the monitor.
/// With <c>--raw</c> it is the floor instead: a blocking socket on the main thread, no HTTP library, no async — the
/// least any client on this machine can add to what it measures.
/// </summary>
internal static class AccuracyProbe
{
    public static async Task<int> RunAsync(Uri url, int count, bool raw)
    {
        if (raw)
        {
            RunRaw(url, count);
            return 0;
        }

        var health = HealthPlan.Default with { Interval = TimeSpan.FromSeconds(10), Timeout = TimeSpan.FromSeconds(5), Detailed = false, Components = [] };
        // One probe object for all runs, like one check: its client lives on, each run opens a fresh connection.
        using var probe = new HealthProbe("bench", "health", url, health, detailed: false, reuseConnections: false, TimeProvider.System,
            new Redactor(null));
        for (var i = 0; i < count; i++)
        {
            var result = await probe.RunAsync(CancellationToken.None);
            var processing = result.Phases.Processing is { } p ? p.ToString("R", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SAMPLE {i} {result.Duration.TotalSeconds:R} {processing} {(result.Outcome == Outcome.Success ? 1 : 0)}"));
        }

        Console.WriteLine("DONE");
        return 0;
    }

    /// <summary>
    /// The floor: per run a new blocking TCP socket, one GET written in one send, the answer read to the end.
    /// total = connect start → last byte; processing = request sent → first response byte (as the monitor's phase).
    /// </summary>
    private static void RunRaw(Uri url, int count)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(url.Host), url.Port);
        var request = Encoding.ASCII.GetBytes($"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nConnection: close\r\n\r\n");
        var buffer = new byte[4096];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Connect(endpoint);
            socket.Send(request);
            var sent = Stopwatch.GetTimestamp();
            var read = socket.Receive(buffer);
            var first = Stopwatch.GetTimestamp();
            var ok = read >= 12 && Encoding.ASCII.GetString(buffer, 0, 12) == "HTTP/1.1 200";
            while (read > 0)
            {
                read = socket.Receive(buffer);
            }

            var end = Stopwatch.GetTimestamp();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SAMPLE {i} {Stopwatch.GetElapsedTime(start, end).TotalSeconds:R} {Stopwatch.GetElapsedTime(sent, first).TotalSeconds:R} {(ok ? 1 : 0)}"));
        }

        Console.WriteLine("DONE");
    }
}
