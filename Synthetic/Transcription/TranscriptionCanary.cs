using Synthetic.Audio;
using Synthetic.Configuration;
using Synthetic.Probing;
using Synthetic.Scoring;

namespace Synthetic.Transcription;

/// <summary>
/// Sends each configured sample through the transcription endpoint, scores the transcript against the
/// manifest text and decides success, degraded or failure with one reason. The samples of one run go one
/// after the other, so a canary never adds more than one request at a time to the service.
/// </summary>
internal sealed class TranscriptionCanary : ICheck, IDisposable
{
    internal const int MaxBodyBytes = 4 * 1024 * 1024;
    private const int MaxTranscriptChars = 2000;

    /// <summary>Word positions kept for the status page's diff; a transcript is at most 2,000 characters anyway.</summary>
    private const int MaxDiffWords = 400;

    private readonly CanaryOptions _options;
    private readonly IReadOnlyList<Clip> _samples;
    private readonly DialectClient _dialect;
    private readonly ProbeHttpClient _http;
    private readonly TimeProvider _time;
    private readonly Redactor _redactor;
    private readonly Polly.ResiliencePipeline _pipeline;

    public TranscriptionCanary(TargetOptions target, Uri baseUrl, ClipLibrary clips, TimeProvider time, Redactor redactor)
    {
        Target = target.Name;
        _options = target.Canary;
        _samples = [.. (_options.Samples ?? [.. CanaryOptions.DefaultSamples]).Select(id => clips[id])];
        _dialect = new DialectClient(_options.Dialect, baseUrl, _options, target.ResolvedLicenseKey, _samples);
        _http = new ProbeHttpClient(time, target.ReuseConnections, target.Tls);
        _time = time;
        _redactor = redactor;
        _pipeline = AttemptPipeline.Build(_options.Timeout, _options.AttemptTimeout ?? _options.Timeout, _options.Retries, time);
    }

    public string Target { get; }

    public string Probe => "transcription";

    public TimeSpan Interval => _options.Interval;

    public int Retries => _options.Retries;

    public Uri Url => _dialect.Url;

    public async Task<ProbeResult> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        var start = _time.GetTimestamp();
        var samples = new List<SampleResult>(_samples.Count);
        int? lastStatus = null;
        var phases = PhaseTimings.None;
        foreach (var clip in _samples)
        {
            var (sample, status) = await RunSampleAsync(clip, cancellationToken);
            samples.Add(sample);
            lastStatus = status ?? lastStatus;
            phases = _http.LastPhases;
            if (sample.RetryAfter is not null)
            {
                // The service asked us to back off: do not send the remaining samples now.
                break;
            }
        }

        return Summarize(startedAt, _time.GetElapsedTime(start), samples, lastStatus, phases);
    }

    /// <summary>The run's result from its samples: the first failing sample decides the reason.</summary>
    internal ProbeResult Summarize(DateTimeOffset startedAt, TimeSpan duration, IReadOnlyList<SampleResult> samples, int? lastStatus, PhaseTimings phases)
    {
        var failed = samples.FirstOrDefault(s => s.Outcome == Outcome.Failure);
        var outcome = failed is not null ? Outcome.Failure : samples.Any(s => s.Outcome == Outcome.Degraded) ? Outcome.Degraded : Outcome.Success;
        var detail = failed is not null
            ? $"{failed.Sample}: {failed.Detail}"
            : string.Join("; ", samples.Select(s => $"{s.Sample}: {s.Detail}"));
        return new ProbeResult(Target, Probe, outcome, failed?.Reason, TextSnippet.Of(detail, 400), startedAt, duration,
            samples.Sum(s => s.Attempts), lastStatus, phases)
        {
            Samples = samples,
            RetryAfter = samples.Select(s => s.RetryAfter).FirstOrDefault(r => r is not null),
        };
    }

    private async Task<(SampleResult Sample, int? Status)> RunSampleAsync(Clip clip, CancellationToken cancellationToken)
    {
        var requestId = $"synthetic-{Target}-{clip.Id}-{Guid.NewGuid().ToString("N")[..12]}";
        var attempts = 0;
        var start = _time.GetTimestamp();
        HttpExchange exchange;
        try
        {
            exchange = await _pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    using var request = _dialect.CreateRequest(clip, requestId);
                    return await _http.ExchangeAsync(request, MaxBodyBytes, token);
                },
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var (reason, detail) = FailureClassifier.Classify(ex);
            return (Failed(clip, reason, detail, _time.GetElapsedTime(start), attempts, requestId), null);
        }

        var latency = _time.GetElapsedTime(start);
        return (Score(clip, exchange, latency, attempts, requestId), exchange.StatusCode);
    }

    internal SampleResult Score(Clip clip, HttpExchange exchange, TimeSpan latency, int attempts, string requestId)
    {
        var status = exchange.StatusCode;
        if (exchange.Truncated)
        {
            return Failed(clip, Reasons.InvalidBody, $"{status}: answer larger than {MaxBodyBytes / (1024 * 1024)} MiB", latency, attempts, requestId);
        }

        if (status != 200)
        {
            var retryAfter = status is 429 or 503 ? DialectClient.RetryAfter(exchange) : null;
            var detail = $"{status}: {_redactor.Apply(DialectClient.ErrorText(exchange))}";
            if (retryAfter is { } wait)
            {
                detail += $" (retry after {wait.TotalSeconds:F0} s)";
            }

            return Failed(clip, Reasons.ForStatus(status), detail, latency, attempts, requestId) with { RetryAfter = retryAfter };
        }

        var answer = _dialect.ReadAnswer(exchange);
        if (answer is null)
        {
            return Failed(clip, Reasons.InvalidBody, $"200: not the {_options.Dialect} answer shape: {TextSnippet.Of(exchange.Body, 80)}", latency,
                attempts, requestId);
        }

        var transcript = _redactor.Apply(answer.Text ?? string.Empty);
        if (transcript.Length > MaxTranscriptChars)
        {
            transcript = transcript[..MaxTranscriptChars];
        }

        var score = WordAligner.Score(clip.Transcript, answer.Text);
        var trueSeconds = clip.TrueDuration.TotalSeconds;
        var rtf = latency.TotalSeconds / trueSeconds;
        var result = new SampleResult(clip.Id, Outcome.Success, null, string.Empty, latency, attempts, transcript, score.WordErrorRate, null,
            answer.Confidence, answer.Duration, trueSeconds, rtf, requestId, null)
        {
            Words = RedactedWords(score),
        };

        string? reason = null;
        string detailText;
        if (clip.ExpectsSpeech && string.IsNullOrWhiteSpace(answer.Text))
        {
            (reason, detailText) = (Reasons.EmptyTranscript, "empty transcript");
        }
        else if (score.WordErrorRate > _options.MaxWer)
        {
            (reason, detailText) = (Reasons.WerExceeded, $"WER {score.WordErrorRate:F2} > {_options.MaxWer:F2}");
        }
        else if (answer.Duration is { } returned && Math.Abs(returned - trueSeconds) > 0.10 * trueSeconds)
        {
            (reason, detailText) = (Reasons.DurationMismatch, $"service says {returned:F2} s of audio, clip lasts {trueSeconds:F2} s");
        }
        else if (latency > _options.MaxLatency)
        {
            (reason, detailText) = (Reasons.LatencyExceeded, $"latency {latency.TotalSeconds:F2} s > {_options.MaxLatency.TotalSeconds:F2} s");
        }
        else
        {
            detailText = $"WER {score.WordErrorRate:F2}, {latency.TotalMilliseconds:F0} ms";
        }

        if (reason is not null)
        {
            return result with { Outcome = Outcome.Failure, Reason = reason, Detail = detailText, Diff = _redactor.Apply(score.FormatDiff()) };
        }

        var degraded = score.WordErrorRate > _options.DegradedWer || latency > _options.DegradedLatency;
        return degraded
            ? result with { Outcome = Outcome.Degraded, Detail = detailText + " (degraded)", Diff = _redactor.Apply(score.FormatDiff()) }
            : result with { Detail = detailText };
    }

    /// <summary>The alignment for the status page, capped like the diff string, with the target's secret masked.</summary>
    private List<WordEdit> RedactedWords(WerScore score) =>
        [.. score.Alignment.Take(MaxDiffWords).Select(w => new WordEdit(w.Kind,
            w.Reference is null ? null : _redactor.Apply(w.Reference), w.Hypothesis is null ? null : _redactor.Apply(w.Hypothesis)))];

    private static SampleResult Failed(Clip clip, string reason, string detail, TimeSpan latency, int attempts, string requestId) =>
        new(clip.Id, Outcome.Failure, reason, detail, latency, attempts, null, null, null, null, null, clip.TrueDuration.TotalSeconds, null,
            requestId, null);

    public void Dispose() => _http.Dispose();
}
