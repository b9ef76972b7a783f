using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Synthetic.StandIn;

/// <summary>
/// A snapshot of what the stand-in has been asked. Control requests (<c>/_standin/…</c>) are not counted.
/// Never holds a key: only the Authorization scheme is kept.
/// </summary>
/// <param name="RequestsByPath">Requests per request path (query string excluded).</param>
/// <param name="TotalRequests">All counted requests.</param>
/// <param name="TranscriptionRequests">Requests to any transcription endpoint, whatever their outcome.</param>
/// <param name="LastRequestId">The last <c>X-Request-ID</c> header received, if any.</param>
/// <param name="LastAuthorizationScheme">Scheme of the last transcription request's Authorization header:
/// <c>Token</c>, <c>Bearer</c>, <c>other</c> or <c>none</c>.</param>
/// <param name="WrongKeyRequests">Transcription requests refused because a license key is configured and
/// the request's key was missing, wrong or sent with a scheme the dialect does not accept.</param>
public sealed record StandInStats(
    IReadOnlyDictionary<string, long> RequestsByPath,
    long TotalRequests,
    long TranscriptionRequests,
    string? LastRequestId,
    string LastAuthorizationScheme,
    long WrongKeyRequests);

/// <summary>Thread-safe counters behind <see cref="StandInStats"/>.</summary>
internal sealed class StatsCollector
{
    // Bounds memory if something scans the stand-in with random paths.
    private const int MaxDistinctPaths = 1000;
    private const int MaxPathLength = 200;
    private const int MaxRequestIdLength = 256;
    private const string OtherPaths = "(other)";

    private readonly ConcurrentDictionary<string, long> _byPath = new(StringComparer.Ordinal);
    private long _total;
    private long _transcription;
    private long _wrongKey;
    private string? _lastRequestId;
    private string _lastAuthorizationScheme = AuthSchemes.None;

    public void RecordRequest(string path, string? requestId)
    {
        if (path.Length > MaxPathLength || (_byPath.Count >= MaxDistinctPaths && !_byPath.ContainsKey(path)))
        {
            path = OtherPaths;
        }

        _byPath.AddOrUpdate(path, 1, static (_, count) => count + 1);
        Interlocked.Increment(ref _total);
        if (!string.IsNullOrEmpty(requestId))
        {
            Volatile.Write(ref _lastRequestId, requestId.Length > MaxRequestIdLength ? requestId[..MaxRequestIdLength] : requestId);
        }
    }

    public void RecordTranscription(string authScheme)
    {
        Interlocked.Increment(ref _transcription);
        Volatile.Write(ref _lastAuthorizationScheme, authScheme);
    }

    public void RecordWrongKey() => Interlocked.Increment(ref _wrongKey);

    public StandInStats Snapshot() => new(
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, _byPath),
        Interlocked.Read(ref _total),
        Interlocked.Read(ref _transcription),
        Volatile.Read(ref _lastRequestId),
        Volatile.Read(ref _lastAuthorizationScheme),
        Interlocked.Read(ref _wrongKey));
}
