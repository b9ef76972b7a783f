using Prometheus;
using Synthetic.Results;

namespace Synthetic.Metrics;

/// <summary>
/// Every metric of the contract, declared once with help text and fixed label names on one registry
/// (a custom registry per monitor, so tests and several monitors in one process stay isolated).
/// Labels carry only configured names and fixed vocabularies: never URLs, transcripts or request ids.
/// </summary>
internal sealed class SyntheticMetrics
{
    private static readonly double[] LagBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly Gauge _componentHealthy;
    private readonly Gauge _uptime;
    private readonly Counter _restarts;
    private readonly Gauge _info;
    private readonly Gauge _wer;
    private readonly Gauge _drift;
    private readonly Gauge _maxDrift;
    private readonly Gauge _rtf;
    private readonly Gauge _confidence;
    private readonly Gauge _canaryLatency;
    private readonly Gauge _maxWer;
    private readonly Gauge _degradedWer;
    private readonly Gauge _falsePositive;
    private readonly Gauge _falseNegative;
    private readonly Gauge _tlsExpiry;
    private readonly Histogram _startLag;
    private readonly StreamingMetrics _streaming;
    private readonly CheckSeriesSet _checks = new();
    private readonly Dictionary<string, string> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _uptimes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public SyntheticMetrics(CollectorRegistry registry, string version)
    {
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _componentHealthy = factory.CreateGauge("synthetic_target_component_healthy", "1 if the detailed health view reports the component healthy.", ["target", "component"]);
        _uptime = factory.CreateGauge("synthetic_target_uptime_seconds", "Uptime reported by the target's detailed health view.", ["target"]);
        _restarts = factory.CreateCounter("synthetic_target_restarts_total", "Times the target's reported uptime went backwards.", ["target"]);
        _info = factory.CreateGauge("synthetic_target_info", "Version reported by the target's detailed health view.", ["target", "version"]);
        _wer = factory.CreateGauge("synthetic_canary_word_error_rate", "Word error rate of the last canary transcript per sample.", ["target", "sample"]);
        _rtf = factory.CreateGauge("synthetic_canary_real_time_factor", "Latency divided by audio duration, last canary run per sample.", ["target", "sample"]);
        _confidence = factory.CreateGauge("synthetic_canary_confidence", "Confidence the service returned, last canary run per sample.", ["target", "sample"]);
        _canaryLatency = factory.CreateGauge("synthetic_canary_latency_seconds", "Transcription latency of the last canary run per sample.", ["target", "sample"]);
        _drift = factory.CreateGauge("synthetic_canary_baseline_drift",
            "Word error rate of the last canary transcript against the calibrated baseline's (Canary:Baseline), per sample.", ["target", "sample"]);
        _maxDrift = factory.CreateGauge("synthetic_canary_max_drift",
            "Canary:MaxDrift in force for the sample (only with Canary:Baseline): a drift above it is degraded.", ["target", "sample"]);
        _maxWer = factory.CreateGauge("synthetic_canary_max_wer", "MaxWer in force for the sample: a canary WER above it fails.", ["target", "sample"]);
        _degradedWer = factory.CreateGauge("synthetic_canary_degraded_wer", "DegradedWer in force for the sample: a canary WER above it is degraded.",
            ["target", "sample"]);
        _falsePositive = factory.CreateGauge("synthetic_health_false_positive", "1 while health passes and transcription fails (both fresh).", ["target"]);
        _falseNegative = factory.CreateGauge("synthetic_health_false_negative", "1 while health fails and transcription passes (both fresh).", ["target"]);
        _streaming = new StreamingMetrics(factory, _wer);
        _tlsExpiry = factory.CreateGauge("synthetic_tls_cert_expiry_timestamp_seconds",
            "Unix time of the earliest notAfter in the certificate chain the https target presented.", ["target"]);
        _startLag = factory.CreateHistogram("synthetic_scheduler_start_lag_seconds", "Actual minus scheduled start time of check runs.",
            new HistogramConfiguration { Buckets = LagBuckets });
        factory.CreateGauge("synthetic_build_info", "Synthetic build information.", ["version"]).WithLabels(version).Set(1);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>
    /// The whole exposition (text format 0.0.4): the registry's families (running its before-collect callbacks), then the
    /// per-check families, which live outside prometheus-net for memory and scrape time (see <see cref="CheckSeries"/>).
    /// </summary>
    public async Task ExportAsync(Stream destination, CancellationToken cancellationToken)
    {
        await Registry.CollectAndExportAsTextAsync(destination, ExpositionFormat.PrometheusText, cancellationToken);
        await _checks.WriteAsync(destination, cancellationToken);
    }

    /// <summary>Declares a check's series before its first run so dashboards and rate() see zeros, not gaps.</summary>
    /// <remarks>Without retries no run can pass after one: no retried-runs series to keep at 0.</remarks>
    public void RegisterCheck(string target, string probe, TimeSpan interval, bool mayRetry) => _checks.For(target, probe).Register(interval, mayRetry);

    /// <summary>Drift detection is on for these samples (<c>Canary:Baseline</c>) with this MaxDrift.</summary>
    public void RegisterDrift(string target, IEnumerable<string> samples, double maxDrift)
    {
        ArgumentNullException.ThrowIfNull(samples);
        foreach (var sample in samples)
        {
            _maxDrift.WithLabels(target, sample).Set(maxDrift);
        }
    }

    /// <param name="werThresholds">Per canary sample, the MaxWer and DegradedWer in force (null or empty: no canary).</param>
    public void RegisterTarget(string target, IReadOnlyDictionary<string, (double Max, double Degraded)>? werThresholds, bool verdicts)
    {
        if (verdicts)
        {
            _falsePositive.WithLabels(target).Set(0);
            _falseNegative.WithLabels(target).Set(0);
        }

        foreach (var (sample, (max, degraded)) in werThresholds ?? new Dictionary<string, (double, double)>())
        {
            _maxWer.WithLabels(target, sample).Set(max);
            _degradedWer.WithLabels(target, sample).Set(degraded);
        }
    }

    /// <summary>Exports optional constant labels as one info-style series per target, out of every other series.</summary>
    public void RegisterTargetLabels(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> labelsByTarget)
    {
        var keys = labelsByTarget.Values.SelectMany(l => l.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (keys.Length == 0)
        {
            return;
        }

        var gauge = Prometheus.Metrics.WithCustomRegistry(Registry).CreateGauge("synthetic_target_labels",
            "Constant labels configured per target (join on target).", ["target", .. keys]);
        foreach (var (target, labels) in labelsByTarget)
        {
            gauge.WithLabels([target, .. keys.Select(k => labels.TryGetValue(k, out var v) ? v : string.Empty)]).Set(1);
        }
    }

    /// <summary>Declares a streaming target's latency histogram series.</summary>
    public void RegisterStreaming(string target) => _streaming.RegisterTarget(target);

    public void Skipped(string target, string probe) => _checks.For(target, probe).Skip();

    public void StartLag(TimeSpan lag) => _startLag.Observe(Math.Max(0, lag.TotalSeconds));

    public void Record(ProbeResult result)
    {
        RecordRun(result);
        RecordLatest(result);
    }

    /// <summary>The counters and histograms of a run this process made (in a cluster: per node, summed across nodes).</summary>
    public void RecordRun(ProbeResult result)
    {
        _streaming.Observe(result.Target, result.Streams);
        _checks.For(result.Target, result.Probe).RecordRun(result);
    }

    /// <summary>The last-result gauges (in a cluster: set from the shared latest result, the same on every node).</summary>
    public void RecordLatest(ProbeResult result)
    {
        var target = result.Target;
        _checks.For(target, result.Probe).RecordLatest(result);

        if (result.Health is { } health)
        {
            RecordHealthDetails(target, health);
        }

        if (result.Tls is { } tls)
        {
            _tlsExpiry.WithLabels(target).Set(tls.EarliestNotAfter.ToUnixTimeSeconds());
        }

        foreach (var sample in result.Samples)
        {
            RecordSample(target, sample);
        }

        _streaming.Record(target, result.Streams);
    }

    public void SetVerdicts(string target, bool falsePositive, bool falseNegative)
    {
        _falsePositive.WithLabels(target).Set(falsePositive ? 1 : 0);
        _falseNegative.WithLabels(target).Set(falseNegative ? 1 : 0);
    }

    private void RecordHealthDetails(string target, HealthDetails health)
    {
        foreach (var (component, healthy) in health.Components)
        {
            _componentHealthy.WithLabels(target, component).Set(healthy ? 1 : 0);
        }

        lock (_gate)
        {
            if (health.UptimeSeconds is { } uptime)
            {
                if (_uptimes.TryGetValue(target, out var previous) && uptime < previous)
                {
                    _restarts.WithLabels(target).Inc();
                }

                _uptimes[target] = uptime;
                _uptime.WithLabels(target).Set(uptime);
            }

            _restarts.WithLabels(target);
            if (health.Version is { } version)
            {
                if (_versions.TryGetValue(target, out var old) && old != version)
                {
                    _info.RemoveLabelled(target, old);
                }

                _versions[target] = version;
                _info.WithLabels(target, version).Set(1);
            }
        }
    }

    private void RecordSample(string target, SampleResult sample)
    {
        if (sample.WordErrorRate is { } wer)
        {
            _wer.WithLabels(target, sample.Sample).Set(wer);
        }

        if (sample.Drift is { } drift)
        {
            _drift.WithLabels(target, sample.Sample).Set(drift);
        }

        if (sample.RealTimeFactor is { } rtf)
        {
            _rtf.WithLabels(target, sample.Sample).Set(rtf);
        }

        if (sample.Confidence is { } confidence)
        {
            _confidence.WithLabels(target, sample.Sample).Set(confidence);
        }

        _canaryLatency.WithLabels(target, sample.Sample).Set(sample.Latency.TotalSeconds);
    }
}
