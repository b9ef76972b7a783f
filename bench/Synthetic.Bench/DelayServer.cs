using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Synthetic.Bench;

/// <summary>
/// Helper process for scenario 2: a tiny HTTP/1.1 server that answers <c>GET /health?d=MS&amp;id=ID</c> after
/// exactly MS milliseconds and logs the true handling time of every request as
/// <c>REC id d handling_us arrival_ticks</c>: from the moment the request's header block has arrived to the moment the
/// response is handed to the kernel. Blocking sockets on dedicated threads (no thread pool, no timer
/// queue); the delay is a plain sleep, and what counts is the handling time measured around it.
/// </summary>
internal static class DelayServer
{
    private const int Threads = 16;
    private static readonly Lock OutputGate = new();
    private static readonly byte[] Body = """{"status":"healthy"}"""u8.ToArray();

    public static Task<int> RunAsync(int port, int maxSeconds)
    {

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(512);
        var workers = new List<Thread>();
        for (var t = 0; t < Threads; t++)
        {
            var thread = new Thread(() => AcceptLoop(listener)) { IsBackground = true, Name = "delay-" + t };
            thread.Start();
            workers.Add(thread);
        }

        Write("READY " + ((IPEndPoint)listener.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture));
        // Bounded: the driver stops it long before this; the process never outlives a forgotten run.
        Thread.Sleep(TimeSpan.FromSeconds(maxSeconds));
        return Task.FromResult(0);
    }

    private static void AcceptLoop(Socket listener)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            Socket connection;
            try
            {
                connection = listener.Accept();
            }
            catch (SocketException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            try
            {
                Handle(connection, buffer);
            }
            catch (SocketException)
            {
                // The client went away: nothing to record.
            }
            finally
            {
                connection.Dispose();
            }
        }
    }

    private static void Handle(Socket connection, byte[] buffer)
    {
        connection.NoDelay = true;
        var filled = 0;
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(buffer, filled)) < 0)
        {
            if (filled == buffer.Length)
            {
                return;
            }

            var read = connection.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
            if (read == 0)
            {
                return;
            }

            filled += read;
        }

        var arrived = Stopwatch.GetTimestamp();
        var requestLine = Encoding.ASCII.GetString(buffer, 0, Array.IndexOf(buffer, (byte)'\r', 0, filled));
        var target = requestLine.Split(' ') is [_, var t, ..] ? t : "/";
        var query = target.Contains('?', StringComparison.Ordinal) ? target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..] : string.Empty;
        var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty, StringComparer.Ordinal);
        var delayMs = parameters.TryGetValue("d", out var d) && int.TryParse(d, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        var id = parameters.TryGetValue("id", out var value) ? value : "-";

        // Sleep, no spinning: the exact handling time is measured and logged, so the delay need not be exact, and a
        // server spinning on a 2-core machine would delay the very clients whose timing it judges.
        Thread.Sleep(delayMs);

        var header = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n");
        var response = new byte[header.Length + Body.Length];
        header.CopyTo(response, 0);
        Body.CopyTo(response, header.Length);
        // Timestamp before handing the answer to the kernel: a thread descheduled right after send() must not
        // stretch the true time past the moment the client already has the answer.
        var answered = Stopwatch.GetTimestamp();
        connection.Send(response);
        var handlingUs = Stopwatch.GetElapsedTime(arrived, answered).TotalMicroseconds;
        Write(string.Create(CultureInfo.InvariantCulture, $"REC {id} {delayMs} {handlingUs:F1} {arrived}"));
        try
        {
            connection.Shutdown(SocketShutdown.Send);
            // Let the client read and close first, so the server never resets the connection.
            connection.ReceiveTimeout = 1000;
            while (connection.Receive(buffer) > 0)
            {
            }
        }
        catch (SocketException)
        {
        }
    }

    private static int IndexOfHeaderEnd(byte[] buffer, int filled)
    {
        for (var i = 3; i < filled; i++)
        {
            if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r')
            {
                return i;
            }
        }

        return -1;
    }

    private static void Write(string line)
    {
        lock (OutputGate)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
