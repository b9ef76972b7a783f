using Prometheus;
using Synthetic.Results;

namespace Synthetic.Metrics;

/// <summary>The streaming canary's series (design.md): last-run gauges per sample and a latency histogram per phase.</summary>
internal sealed class StreamingMetrics
{
    public const string FirstTranscriptPhase = "first_transcript";
    public const string FinalizePhase = "finalize";

    private static readonly double[] LatencyBuckets = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];

    private readonly Gauge _timeToFirstTranscript;
    private readonly Gauge _finalizeLatency;
    private readonly Histogram _latency;
    private readonly Gauge _partials;
    private readonly Gauge _handshake;
    private readonly Gauge _wer;

    /// <param name="wer">The shared <c>synthetic_canary_word_error_rate</c> gauge: the final transcript's WER goes there.</param>
    public StreamingMetrics(MetricFactory factory, Gauge wer)
    {
        string[] ts = ["target", "sample"];
        _timeToFirstTranscript = factory.CreateGauge("synthetic_stream_time_to_first_transcript_seconds",
            "Streaming canary, last run per sample: first audio frame sent to first non-empty transcript received.", ts);
        _finalizeLatency = factory.CreateGauge("synthetic_stream_finalize_latency_seconds",
            "Streaming canary, last run per sample: last audio frame sent to final transcript received.", ts);
        _latency = factory.CreateHistogram("synthetic_stream_latency_seconds",
            "Streaming canary latencies by phase (first_transcript, finalize).", ["target", "phase"], new HistogramConfiguration { Buckets = LatencyBuckets });
        _partials = factory.CreateGauge("synthetic_stream_partials", "Streaming canary, last run per sample: non-empty partial transcripts before the final.", ts);
        _handshake = factory.CreateGauge("synthetic_stream_handshake_seconds", "Streaming canary, last run per sample: connect and WebSocket upgrade.", ts);
        _wer = wer;
    }

    /// <summary>Declares the histogram's series so rate() sees zeros before the first stream.</summary>
    public void RegisterTarget(string target)
    {
        _latency.WithLabels(target, FirstTranscriptPhase);
        _latency.WithLabels(target, FinalizePhase);
    }

    /// <summary>The latency histogram of a run this process made (in a cluster: per node, summed across nodes).</summary>
    public void Observe(string target, IReadOnlyList<StreamSampleResult> streams)
    {
        foreach (var stream in streams)
        {
            if (stream.TimeToFirstTranscript is { } ttft)
            {
                _latency.WithLabels(target, FirstTranscriptPhase).Observe(ttft.TotalSeconds);
            }

            if (stream.FinalizeLatency is { } finalize)
            {
                _latency.WithLabels(target, FinalizePhase).Observe(finalize.TotalSeconds);
            }
        }
    }

    /// <summary>The last-run gauges (in a cluster: from the shared latest result, the same on every node).</summary>
    public void Record(string target, IReadOnlyList<StreamSampleResult> streams)
    {
        foreach (var stream in streams)
        {
            if (stream.TimeToFirstTranscript is { } ttft)
            {
                _timeToFirstTranscript.WithLabels(target, stream.Sample).Set(ttft.TotalSeconds);
            }

            if (stream.FinalizeLatency is { } finalize)
            {
                _finalizeLatency.WithLabels(target, stream.Sample).Set(finalize.TotalSeconds);
            }

            if (stream.Handshake is { } handshake)
            {
                _handshake.WithLabels(target, stream.Sample).Set(handshake.TotalSeconds);
                _partials.WithLabels(target, stream.Sample).Set(stream.Partials);
            }

            if (stream.WordErrorRate is { } wer)
            {
                _wer.WithLabels(target, stream.Sample).Set(wer);
            }
        }
    }
}
