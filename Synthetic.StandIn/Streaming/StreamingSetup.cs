using System.Collections.Concurrent;
using System.Collections.Immutable;
using Synthetic.StandIn.Recognition;

namespace Synthetic.StandIn.Streaming;

/// <summary>What every stream session shares: the PCM catalog, the optional recognizer, the test knobs and the counters.</summary>
internal sealed class StreamingSetup(PcmCatalog catalog, IRecognizer? recognizer, TimeSpan? firstPartialDelay)
{
    /// <summary>Partials from the fixture lookup: one per this much audio received.</summary>
    public static readonly TimeSpan PartialEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>Partials from the recognizer: the audio so far is re-decoded this often.</summary>
    public static readonly TimeSpan DecodeEvery = TimeSpan.FromMilliseconds(500);

    /// <summary>Audio kept per session (~8 min at 16 kHz): a stream past it is closed with 1009.</summary>
    public const int MaxAudioBytes = 16 * 1024 * 1024;

    /// <summary>Largest client message read.</summary>
    public const int MaxMessageBytes = 1024 * 1024;

    public PcmCatalog Catalog => catalog;

    public IRecognizer? Recognizer => recognizer;

    /// <summary>When set, the first partial is sent this long after the first audio frame arrived (the TTFT accuracy test).</summary>
    public TimeSpan? FirstPartialDelay => firstPartialDelay;

    public StreamStatsCollector Stats { get; } = new();
}

/// <summary>What the stand-in's streaming side has been asked (a snapshot). Holds no key: only the auth scheme.</summary>
/// <param name="Sessions">Upgrade requests on any streaming path, refused ones included.</param>
/// <param name="Accepted">Sessions upgraded to a WebSocket.</param>
/// <param name="LastDialect">The dialect of the last session.</param>
/// <param name="LastAuthorizationScheme"><c>Token</c>, <c>Bearer</c>, <c>other</c> or <c>none</c>.</param>
/// <param name="LastSampleRate">The sample rate the last session declared (query or <c>session.update</c>).</param>
/// <param name="LastAudioBytes">PCM bytes the last finished session received.</param>
/// <param name="SessionsByDialect">Upgrade requests per dialect (<c>smallest-stream</c>, <c>pulse-live</c>, <c>deepgram</c>, <c>openai-realtime</c>).</param>
public sealed record StreamStats(long Sessions, long Accepted, string? LastDialect, string LastAuthorizationScheme, int? LastSampleRate, long LastAudioBytes,
    IReadOnlyDictionary<string, long> SessionsByDialect);

internal sealed class StreamStatsCollector
{
    private long _sessions;
    private long _accepted;
    private string? _lastDialect;
    private string _lastScheme = AuthSchemes.None;
    private int _lastRate = -1;
    private long _lastAudioBytes;

    // Keyed by the protocol's name: four at most, so bounded.
    private readonly ConcurrentDictionary<string, long> _byDialect = new(StringComparer.Ordinal);

    public void Session(string dialect, string scheme)
    {
        Interlocked.Increment(ref _sessions);
        _byDialect.AddOrUpdate(dialect, 1, static (_, count) => count + 1);
        Volatile.Write(ref _lastDialect, dialect);
        Volatile.Write(ref _lastScheme, scheme);
    }

    public void Accepted() => Interlocked.Increment(ref _accepted);

    public void SampleRate(int rate) => Volatile.Write(ref _lastRate, rate);

    public void Finished(long audioBytes) => Interlocked.Exchange(ref _lastAudioBytes, audioBytes);

    public StreamStats Snapshot()
    {
        var rate = Volatile.Read(ref _lastRate);
        return new StreamStats(Interlocked.Read(ref _sessions), Interlocked.Read(ref _accepted), Volatile.Read(ref _lastDialect),
            Volatile.Read(ref _lastScheme), rate < 0 ? null : rate, Interlocked.Read(ref _lastAudioBytes),
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, _byDialect));
    }
}
