using System.Text;

using Synthetic.StandIn.Recognition;

namespace Synthetic.StandIn;

/// <summary>Everything the endpoints share: fixtures, the mode in force, uptime, counters. Thread-safe.</summary>
internal sealed class StandInState
{
    private readonly CancellationToken _stopping;
    private StandInMode _mode = StandInMode.Healthy;
    private long _startedAt;
    private long _requestNumber;

    public StandInState(FixtureCatalog fixtures, StandInOptions options, CancellationToken stopping)
    {
        Fixtures = fixtures;
        TimeProvider = options.TimeProvider;
        MaxBodyBytes = options.MaxBodyBytes;
        LicenseKey = string.IsNullOrEmpty(options.LicenseKey) ? null : Encoding.UTF8.GetBytes(options.LicenseKey);
        _stopping = stopping;
        _startedAt = TimeProvider.GetTimestamp();
    }

    public FixtureCatalog Fixtures { get; }

    /// <summary>The real recognizer (<c>--recognizer pocketsphinx</c>), or null for the fixture hash lookup.</summary>
    public IRecognizer? Recognizer { get; init; }

    /// <summary>The recognizer the stand-in loaded itself (<c>--recognizer</c>) and disposes when it stops.</summary>
    public IRecognizer? OwnedRecognizer { get; init; }

    public TimeProvider TimeProvider { get; }

    public long MaxBodyBytes { get; }

    /// <summary>UTF-8 bytes of the configured key, or null when any key (or none) is accepted.</summary>
    public byte[]? LicenseKey { get; }

    public StatsCollector Stats { get; } = new();

    public StandInMode Mode => Volatile.Read(ref _mode);

    public void SetMode(StandInMode mode) => Volatile.Write(ref _mode, ModeRules.NormalizeOrThrow(mode));

    public long UptimeSeconds => (long)TimeProvider.GetElapsedTime(Interlocked.Read(ref _startedAt)).TotalSeconds;

    public void Restart() => Interlocked.Exchange(ref _startedAt, TimeProvider.GetTimestamp());

    public string NextRequestId() => "req_" + Interlocked.Increment(ref _requestNumber);

    /// <summary>
    /// Waits <paramref name="delay"/>; false when the client went away or the stand-in is stopping first,
    /// so a simulated slow or hanging server never holds up shutdown.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan delay, CancellationToken requestAborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, _stopping);
        try
        {
            await Task.Delay(delay, TimeProvider, linked.Token);
            return true;
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Cancelled when the client goes away or the stand-in stops.</summary>
    public CancellationTokenSource LinkToStopping(CancellationToken requestAborted) =>
        CancellationTokenSource.CreateLinkedTokenSource(requestAborted, _stopping);
}
