using System.Net;
using System.Net.Sockets;

namespace Synthetic.Scheduling;

/// <summary>
/// How late the monitor handles I/O that is ready: a datagram sent to itself over loopback, timed from the send to the
/// continuation of its receive, which runs where every probe's socket continuations run (the socket engine's thread
/// with inline completions, else the thread pool). A probe's own duration includes this delay; when it grows, probes
/// time out for the monitor's sake, not the target's. One datagram per <see cref="Ping"/>, only while the gate is busy.
/// </summary>
internal sealed class EventLoopLag : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _ping = [1];
    private readonly byte[] _received = new byte[16];
    private long _sentAt;
    private long _lastLagTicks;
    private bool _started;

    public EventLoopLag(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>The last ping's delay, or the wait of one still unanswered if that is longer.</summary>
    public TimeSpan Current
    {
        get
        {
            var last = TimeSpan.FromTicks(Volatile.Read(ref _lastLagTicks));
            var pending = Volatile.Read(ref _sentAt);
            return pending != 0 && _time.GetElapsedTime(pending) is var waiting && waiting > last ? waiting : last;
        }
    }

    /// <summary>A ping is on its way.</summary>
    public bool Pending => Volatile.Read(ref _sentAt) != 0;

    /// <summary>Sends a ping unless one is still on its way.</summary>
    public void Ping()
    {
        if (Volatile.Read(ref _sentAt) != 0)
        {
            return;
        }

        try
        {
            if (!_started)
            {
                _started = true;
                _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                _socket.Connect(_socket.LocalEndPoint!);
                _ = ReceiveLoopAsync();
            }

            Volatile.Write(ref _sentAt, _time.GetTimestamp());
            _socket.Send(_ping);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Stopping, or no loopback: no measurement, and the gate goes by the CPU alone.
            Volatile.Write(ref _sentAt, 0);
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                await _socket.ReceiveAsync(_received, SocketFlags.None);
                var sent = Interlocked.Exchange(ref _sentAt, 0);
                if (sent != 0)
                {
                    Volatile.Write(ref _lastLagTicks, _time.GetElapsedTime(sent).Ticks);
                }
            }
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }
    }
}
