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
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _ping = [1];
    private readonly byte[] _received = new byte[16];
    private readonly PingDelay _delay;
    private bool _started;

    public EventLoopLag(TimeProvider? time = null) => _delay = new PingDelay(time);

    /// <inheritdoc cref="PingDelay.Current"/>
    public TimeSpan Current => _delay.Current;

    /// <inheritdoc cref="PingDelay.Pending"/>
    public bool Pending => _delay.Pending;

    /// <summary>Sends a ping unless one is still on its way.</summary>
    public void Ping()
    {
        if (!_delay.TryStart())
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

            _socket.Send(_ping);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Stopping, or no loopback: no measurement, and the gate goes by the CPU alone.
            _delay.Cancel();
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
                _delay.Arrive();
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
