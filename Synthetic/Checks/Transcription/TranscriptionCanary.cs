using Synthetic.Audio;
using Synthetic.Configuration;
using Synthetic.Probing;
using Synthetic.Results;

namespace Synthetic.Checks.Transcription;

/// <summary>
/// Sends each configured sample through the transcription endpoint and scores the answer (<see cref="SampleScorer"/>).
/// The samples of one run go one after the other, so a canary never adds more than one request at a time to the service.
/// </summary>
internal sealed class TranscriptionCanary : ICheck, IDisposable
{
    internal const int MaxBodyBytes = 4 * 1024 * 1024;

    private readonly CanaryPlan _plan;
    private readonly IReadOnlyList<Clip> _samples;
    private readonly DialectClient _dialect;
    private readonly ProbeExchange _exchange;
    private readonly SampleScorer _scorer;
    private readonly TimeProvider _time;

    public TranscriptionCanary(TargetPlan target, CanaryPlan plan, ClipLibrary clips, TimeProvider time, Redactor redactor)
    {
        Target = target.Name;
        _plan = plan;
        _samples = [.. plan.Samples.Select(id => clips[id])];
        _dialect = new DialectClient(TranscriptionDialects.Get(plan.Dialect), target.BaseUrl, plan, target.LicenseKey, _samples);
        _exchange = new ProbeExchange(time, target.ReuseConnections, plan.Timeout, plan.AttemptTimeout, plan.Retries, target.Tls);
        _scorer = new SampleScorer(plan, _dialect, redactor);
        _time = time;
    }

    public string Target { get; }

    public string Probe => ProbeNames.Transcription;

    public TimeSpan Interval => _plan.Interval;

    public int Retries => _plan.Retries;

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
            var requestId = $"synthetic-{Target}-{clip.Id}-{Guid.NewGuid().ToString("N")[..12]}";
            var outcome = await _exchange.SendAsync(() => _dialect.CreateRequest(clip, requestId), MaxBodyBytes, cancellationToken);
            var sample = outcome.Answer is { } answer
                ? _scorer.Score(clip, answer, outcome.Elapsed, outcome.Attempts, requestId)
                : SampleScorer.Failed(clip, outcome.Reason!, outcome.Detail, outcome.Elapsed, outcome.Attempts, requestId);
            samples.Add(sample);
            lastStatus = outcome.Answer?.StatusCode ?? lastStatus;
            phases = outcome.Phases;
            if (sample.RetryAfter is not null)
            {
                // The service asked us to back off: do not send the remaining samples now.
                break;
            }
        }

        return Summarize(startedAt, _time.GetElapsedTime(start), samples, lastStatus, phases);
    }

    /// <summary>Scores one answer as a run would (the bench replays recorded answers through it).</summary>
    internal SampleResult Score(Clip clip, HttpExchange exchange, TimeSpan latency, int attempts, string requestId) =>
        _scorer.Score(clip, exchange, latency, attempts, requestId);

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

    public void Dispose() => _exchange.Dispose();
}
