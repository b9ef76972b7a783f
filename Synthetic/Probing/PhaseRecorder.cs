using Synthetic.Results;

namespace Synthetic.Probing;

/// <summary>
/// Timestamps of one HTTP exchange, written by the socket-level hooks of <see cref="ProbeHttpClient"/>
/// (connect callback, plaintext stream filter, the stream's first write and read) and read once the run ends.
/// One recorder belongs to one check, whose runs never overlap, so a connection's hooks always write to the
/// run in flight.
/// </summary>
internal sealed class PhaseRecorder(TimeProvider time)
{
    private long _start;
    private long _dnsStart;
    private long _dnsEnd;
    private long _connectEnd;
    private long _plaintextReady;
    private long _lastWrite;
    private long _firstByte;
    private long _end;
    private bool _tls;

    public TimeProvider Time => time;

    public void Reset()
    {
        _start = time.GetTimestamp();
        _dnsStart = _dnsEnd = _connectEnd = _plaintextReady = _lastWrite = _firstByte = _end = 0;
        _tls = false;
    }

    public void DnsStarted() => _dnsStart = time.GetTimestamp();

    public void DnsFinished() => _dnsEnd = time.GetTimestamp();

    public void Connected() => _connectEnd = time.GetTimestamp();

    public void PlaintextReady(bool tls)
    {
        _plaintextReady = time.GetTimestamp();
        _tls = tls;
    }

    public void Wrote()
    {
        // Writes after the response started belong to nothing we time.
        if (_firstByte == 0)
        {
            _lastWrite = time.GetTimestamp();
        }
    }

    public void Read(int bytes)
    {
        if (bytes > 0 && _firstByte == 0 && _lastWrite != 0)
        {
            _firstByte = time.GetTimestamp();
        }
    }

    public void Finished() => _end = time.GetTimestamp();

    public PhaseTimings Snapshot()
    {
        var newConnection = _connectEnd != 0 && _connectEnd >= _start;
        double? dns = newConnection && _dnsEnd != 0 ? Seconds(_dnsStart, _dnsEnd) : newConnection ? 0 : null;
        double? connect = newConnection ? Seconds(_dnsEnd != 0 ? _dnsEnd : _dnsStart, _connectEnd) : null;
        double? tls = newConnection && _plaintextReady != 0 ? (_tls ? Seconds(_connectEnd, _plaintextReady) : 0) : null;
        var ready = newConnection && _plaintextReady != 0 ? _plaintextReady : _start;
        double? request = _lastWrite != 0 ? Seconds(ready, _lastWrite) : null;
        double? processing = _lastWrite != 0 && _firstByte != 0 ? Seconds(_lastWrite, _firstByte) : null;
        double? transfer = _firstByte != 0 && _end != 0 ? Seconds(_firstByte, _end) : null;
        return new PhaseTimings(dns, connect, tls, request, processing, transfer);
    }

    private double Seconds(long from, long to) => to >= from ? time.GetElapsedTime(from, to).TotalSeconds : 0;
}
