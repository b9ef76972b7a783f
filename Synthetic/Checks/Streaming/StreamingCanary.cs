using System.Globalization;
using Synthetic.Audio;
using Synthetic.Checks.Transcription;
using Synthetic.Configuration;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Scoring;

namespace Synthetic.Checks.Streaming;

/// <summary>
/// The streaming canary (probe <c>streaming</c>): each configured sample streamed at real-time pace over a WebSocket
/// in the target's dialect, one after the other; the final transcript scored against the manifest, time to first
/// transcript and finalize latency against their thresholds. Never retried: a stream that failed once is a failure.
/// </summary>
internal sealed class StreamingCanary : ICheck
{
    private const int MaxTranscriptChars = 2000;

    private readonly StreamingPlan _options;
    private readonly IReadOnlyList<(StreamAudioFrames Audio, Uri Url)> _samples;
    private readonly string? _authorization;
    private readonly StreamExchange _exchange;
    private readonly Redactor _redactor;
    private readonly TimeProvider _time;

    public StreamingCanary(TargetPlan target, StreamingPlan streaming, ClipLibrary clips, TimeProvider time, Redactor redactor)
    {
        Target = target.Name;
        _options = streaming;
        var baseUrl = target.BaseUrl;
        Dialect = StreamingDialectRegistry.Get(_options.Dialect);
        _samples = [.. _options.Samples.Select(id =>
        {
            var audio = StreamAudioFrames.Prepare(clips[id], _options.ChunkDuration, Dialect);
            return (audio, BuildUrl(baseUrl, _options, Dialect, audio.SampleRate));
        })];
        _authorization = target.LicenseKey is { } key ? $"{Dialect.AuthScheme} {key}" : null;
        _exchange = new StreamExchange(Dialect, time, redactor);
        _redactor = redactor;
        _time = time;
    }

    public string Target { get; }

    public string Probe => ProbeNames.Streaming;

    public TimeSpan Interval => _options.Interval;

    public int Retries => 0;

    public IStreamingDialect Dialect { get; }

    /// <summary>The URL of the first sample (query included; it carries no key).</summary>
    public Uri Url => _samples[0].Url;

    /// <summary>ws:// for http://, wss:// for https://, the dialect's path under the base URL's, the dialect's query.</summary>
    internal static Uri BuildUrl(Uri baseUrl, StreamingPlan options, IStreamingDialect dialect, int sampleRate)
    {
        var http = new Uri(baseUrl, (options.Path ?? dialect.DefaultPath).TrimStart('/'));
        return new UriBuilder(http)
        {
            Scheme = http.Scheme == Uri.UriSchemeHttps ? Uri.UriSchemeWss : Uri.UriSchemeWs,
            Port = http.Port,
            Query = dialect.Query(options, sampleRate),
        }.Uri;
    }

    public async Task<ProbeResult> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        var start = _time.GetTimestamp();
        var results = new List<StreamSampleResult>(_samples.Count);
        int? lastStatus = null;
        foreach (var (audio, url) in _samples)
        {
            var sampleStart = _time.GetTimestamp();
            var run = await _exchange.RunAsync(url, _authorization, audio, _options, cancellationToken);
            results.Add(Score(audio.Clip, run, _time.GetElapsedTime(sampleStart)));
            lastStatus = run.StatusCode ?? lastStatus;
        }

        var failed = results.FirstOrDefault(s => s.Outcome == Outcome.Failure);
        var outcome = failed is not null ? Outcome.Failure : results.Any(s => s.Outcome == Outcome.Degraded) ? Outcome.Degraded : Outcome.Success;
        var detail = failed is not null ? $"{failed.Sample}: {failed.Detail}" : string.Join("; ", results.Select(s => $"{s.Sample}: {s.Detail}"));
        return new ProbeResult(Target, Probe, outcome, failed?.Reason, TextSnippet.Of(detail, 400), startedAt, _time.GetElapsedTime(start),
            results.Count, lastStatus, PhaseTimings.None)
        {
            Streams = results,
        };
    }

    /// <summary>One stream's result: the exchange's failure, else the transcript's and the latencies' verdict.</summary>
    internal StreamSampleResult Score(Clip clip, StreamRun run, TimeSpan duration)
    {
        var result = new StreamSampleResult(clip.Id, Outcome.Failure, run.Reason, run.Detail, duration, run.Handshake, run.TimeToFirstTranscript,
            run.FinalizeLatency, run.Partials, null, null, null, run.CloseCode, run.StatusCode);
        if (run.Reason is not null)
        {
            return result;
        }

        var transcript = _redactor.Apply(run.Final ?? string.Empty);
        var score = WordAligner.Score(clip.Transcript, run.Final);
        var wer = SampleScorer.ThresholdsFor(_options.Wer, clip);
        result = result with
        {
            Transcript = transcript.Length > MaxTranscriptChars ? transcript[..MaxTranscriptChars] : transcript,
            WordErrorRate = score.WordErrorRate,
            Words = SampleScorer.RedactedWords(score, _redactor),
        };
        var (ttft, finalize) = (run.TimeToFirstTranscript, run.FinalizeLatency);
        var measured = $"WER {score.WordErrorRate:F2}, first transcript {Ms(ttft)}, final {Ms(finalize)} after the last audio, {run.Partials} partials";
        string? reason = null;
        string detail;
        if (clip.ExpectsSpeech && string.IsNullOrWhiteSpace(run.Final))
        {
            (reason, detail) = (Reasons.EmptyTranscript, $"empty final transcript ({run.Partials} partials)");
        }
        else if (score.WordErrorRate > wer.Max)
        {
            (reason, detail) = (Reasons.WerExceeded, $"WER {score.WordErrorRate:F2} > {wer.Max:F2}");
        }
        else if (ttft > _options.MaxTimeToFirstTranscript)
        {
            (reason, detail) = (Reasons.LatencyExceeded, $"time to first transcript {Ms(ttft)} > {Ms(_options.MaxTimeToFirstTranscript)}" +
                (run.Partials == 0 ? " (no partials: the first transcript was the final)" : string.Empty));
        }
        else if (finalize > _options.MaxFinalizeLatency)
        {
            (reason, detail) = (Reasons.LatencyExceeded, $"finalize latency {Ms(finalize)} > {Ms(_options.MaxFinalizeLatency)}");
        }
        else
        {
            detail = measured;
        }

        if (reason is not null)
        {
            return result with { Reason = reason, Detail = detail, Diff = _redactor.Apply(score.FormatDiff()) };
        }

        var degraded = score.WordErrorRate > wer.Degraded || ttft > _options.DegradedTimeToFirstTranscript ||
                       finalize > _options.DegradedFinalizeLatency;
        return degraded
            ? result with { Outcome = Outcome.Degraded, Detail = measured + " (degraded)", Diff = _redactor.Apply(score.FormatDiff()) }
            : result with { Outcome = Outcome.Success, Detail = measured };
    }

    private static string Ms(TimeSpan? span) => span is { } s ? s.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture) + " ms" : "n/a";
}
