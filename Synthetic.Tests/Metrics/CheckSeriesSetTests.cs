using System.Globalization;
using System.Text;
using Prometheus;
using Synthetic.Metrics;
using Synthetic.Results;

namespace Synthetic.Tests.Metrics;

/// <summary>
/// The per-check families are written by Synthetic, not prometheus-net: the same operations must publish the same
/// samples, HELP and TYPE lines that prometheus-net published for them, and a scrape of any size is whole lines.
/// </summary>
public sealed class CheckSeriesSetTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Write_SameOperations_SameExpositionAsPrometheusNet()
    {
        var sut = new CheckSeriesSet();
        var reference = new ReferenceFamilies();
        foreach (var apply in Operations())
        {
            apply(sut, reference);
        }

        var ours = Parse(await WriteAsync(sut));
        var theirs = Parse(await reference.ExportAsync());

        Assert.Equal(theirs.Comments.Order(), ours.Comments.Order());
        Assert.Equal(theirs.Samples.OrderBy(s => s.Key), ours.Samples.OrderBy(s => s.Key));
        Assert.Contains(ours.Samples, s => s.Key.Contains("target=\"we\\\"ird\\\\name\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Write_ThousandsOfChecks_WholeLinesAcrossManyFlushes()
    {
        var sut = new CheckSeriesSet();
        for (var i = 0; i < 3000; i++)
        {
            var series = sut.For($"t{i:D5}", "health");
            series.Register(TimeSpan.FromSeconds(15), mayRetry: false);
            series.RecordRun(Result($"t{i:D5}", Outcome.Success, null));
        }

        var stream = new CountingStream();
        await sut.WriteAsync(stream, CancellationToken.None);
        var text = Encoding.UTF8.GetString(stream.ToArray());

        // Whole buffers go out as they fill: as many writes as buffers, and more than one.
        Assert.True(stream.Writes > 1 && stream.Writes >= text.Length / CheckSeriesSet.BufferSize(3000), $"{stream.Writes} writes for {text.Length} bytes");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines.Where(l => !l.StartsWith('#')), l => Assert.Matches(@"^synthetic_[a-z_]+\{target=""t\d{5}"",probe=""health""[^}]*\} [0-9.e+-]+$", l));
        // Per check: 17 histogram lines, 3 runs, attempts, skipped, interval.
        Assert.Equal(3000 * 23, lines.Count(l => !l.StartsWith('#')));
    }

    [Theory]
    [InlineData(1, 64 * 1024)]
    [InlineData(200, 64 * 1024)]
    [InlineData(3000, 480_000)]
    [InlineData(10_000, 1024 * 1024)]
    [InlineData(1_000_000, 1024 * 1024)]
    public void BufferSize_ScalesWithTheChecks_Between64KiBAnd1MiB(int checks, int expected) =>
        Assert.Equal(expected, CheckSeriesSet.BufferSize(checks));

    [Fact]
    public async Task Write_RowLargerThanTheBuffer_WrittenWhole()
    {
        var sut = new CheckSeriesSet();
        var name = new string('x', 100_000);
        sut.For(name, "health").Register(TimeSpan.FromSeconds(15), mayRetry: true);

        var text = await WriteAsync(sut);

        Assert.Contains($"synthetic_probe_interval_seconds{{target=\"{name}\",probe=\"health\"}} 15\n", text, StringComparison.Ordinal);
        Assert.Contains($"synthetic_probe_retried_runs_total{{target=\"{name}\",probe=\"health\"}} 0\n", text, StringComparison.Ordinal);
    }

    private static IEnumerable<Action<CheckSeriesSet, ReferenceFamilies>> Operations()
    {
        var phases = new PhaseTimings(0.001, 0.002, null, 0.0001, 0.0042, 0.00003);
        yield return (s, r) => { s.For("a", "health").Register(TimeSpan.FromSeconds(15), false); r.Register("a", "health", 15, false); };
        yield return (s, r) => { s.For("a", "transcription").Register(TimeSpan.FromMinutes(1), true); r.Register("a", "transcription", 60, true); };
        yield return (s, r) => { s.For("we\"ird\\name", "health").Register(TimeSpan.FromSeconds(5), false); r.Register("we\"ird\\name", "health", 5, false); };
        foreach (var (target, outcome, reason, seconds, attempts) in new[]
                 {
                     ("a", Outcome.Success, (string?)null, 0.004, 1), ("a", Outcome.Degraded, null, 0.7, 1), ("a", Outcome.Failure, Reasons.Timeout, 61.0, 1),
                     ("a", Outcome.Failure, Reasons.Unhealthy, 0.05, 1), ("a", Outcome.Failure, Reasons.Timeout, 5.0, 1), ("we\"ird\\name", Outcome.Success, null, 0.25, 1),
                 })
        {
            var result = Result(target, outcome, reason) with { Duration = TimeSpan.FromSeconds(seconds), Attempts = attempts, Phases = phases };
            yield return (s, r) => { s.For(target, "health").RecordRun(result); s.For(target, "health").RecordLatest(result); r.Record(result); };
        }

        var retried = Result("a", Outcome.Success, null) with { Probe = "transcription", Attempts = 3, Duration = TimeSpan.FromSeconds(2.5) };
        yield return (s, r) => { s.For("a", "transcription").RecordRun(retried); r.Record(retried, latest: false); };
        // A peer's latest result (cluster): gauges without runs; a skip of a check never registered here.
        var peer = Result("b", Outcome.Failure, Reasons.Connection) with { Probe = "streaming" };
        yield return (s, r) => { s.For("b", "streaming").RecordLatest(peer); r.Latest(peer); };
        yield return (s, r) => { s.For("c", "health").Skip(); r.Skip("c", "health"); };
    }

    private static ProbeResult Result(string target, Outcome outcome, string? reason) =>
        new(target, "health", outcome, reason, "detail", Now, TimeSpan.FromMilliseconds(3), 1, 200, PhaseTimings.None);

    private static async Task<string> WriteAsync(CheckSeriesSet set)
    {
        using var stream = new MemoryStream();
        await set.WriteAsync(stream, CancellationToken.None);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static (List<string> Comments, Dictionary<string, double> Samples) Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var comments = lines.Where(l => l.StartsWith('#')).ToList();
        var samples = lines.Where(l => !l.StartsWith('#')).ToDictionary(
            l => l[..l.LastIndexOf(' ')], l => double.Parse(l[(l.LastIndexOf(' ') + 1)..].Replace("+Inf", "Infinity", StringComparison.Ordinal), CultureInfo.InvariantCulture));
        return (comments, samples);
    }

    /// <summary>The per-check families as they were declared with prometheus-net before issue 15.</summary>
    private sealed class ReferenceFamilies
    {
        private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
        private readonly Dictionary<CheckFamilyKind, Collector> _families = [];

        public ReferenceFamilies()
        {
            var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
            foreach (var f in CheckSeriesSet.Families)
            {
                string[] labels = f.Kind switch
                {
                    CheckFamilyKind.Runs => ["target", "probe", "outcome"],
                    CheckFamilyKind.Failures => ["target", "probe", "reason"],
                    CheckFamilyKind.Phases => ["target", "probe", "phase"],
                    _ => ["target", "probe"],
                };
                _families[f.Kind] = f.Kind switch
                {
                    CheckFamilyKind.Duration => factory.CreateHistogram(f.Text, f.Help, labels, new HistogramConfiguration { Buckets = CheckSeries.DurationBuckets }),
                    CheckFamilyKind.Runs or CheckFamilyKind.Failures or CheckFamilyKind.Attempts or CheckFamilyKind.Retried or CheckFamilyKind.Skipped =>
                        factory.CreateCounter(f.Text, f.Help, labels),
                    _ => factory.CreateGauge(f.Text, f.Help, labels),
                };
            }
        }

        public void Register(string target, string probe, double interval, bool mayRetry)
        {
            Gauge(CheckFamilyKind.Interval).WithLabels(target, probe).Set(interval);
            foreach (var outcome in Enum.GetValues<Outcome>())
            {
                Counter(CheckFamilyKind.Runs).WithLabels(target, probe, outcome.Name());
            }

            Counter(CheckFamilyKind.Attempts).WithLabels(target, probe);
            Counter(CheckFamilyKind.Skipped).WithLabels(target, probe);
            if (mayRetry)
            {
                Counter(CheckFamilyKind.Retried).WithLabels(target, probe);
            }
        }

        public void Skip(string target, string probe) => Counter(CheckFamilyKind.Skipped).WithLabels(target, probe).Inc();

        public void Record(ProbeResult r, bool latest = true)
        {
            ((Histogram)_families[CheckFamilyKind.Duration]).WithLabels(r.Target, r.Probe).Observe(r.Duration.TotalSeconds);
            Counter(CheckFamilyKind.Runs).WithLabels(r.Target, r.Probe, r.Outcome.Name()).Inc();
            if (r.Outcome == Outcome.Failure && r.Reason is { } reason)
            {
                Counter(CheckFamilyKind.Failures).WithLabels(r.Target, r.Probe, reason).Inc();
            }

            Counter(CheckFamilyKind.Attempts).WithLabels(r.Target, r.Probe).Inc(r.Attempts);
            if (r.PassedAfterRetry)
            {
                Counter(CheckFamilyKind.Retried).WithLabels(r.Target, r.Probe).Inc();
            }

            if (latest)
            {
                Latest(r);
            }
        }

        public void Latest(ProbeResult r)
        {
            Gauge(CheckFamilyKind.Success).WithLabels(r.Target, r.Probe).Set(r.Outcome.Passed() ? 1 : 0);
            Gauge(CheckFamilyKind.Degraded).WithLabels(r.Target, r.Probe).Set(r.Outcome == Outcome.Degraded ? 1 : 0);
            Gauge(CheckFamilyKind.LastRun).WithLabels(r.Target, r.Probe).Set(r.FinishedAt.ToUnixTimeMilliseconds() / 1000.0);
            foreach (var (phase, seconds) in r.Phases.Present())
            {
                Gauge(CheckFamilyKind.Phases).WithLabels(r.Target, r.Probe, phase).Set(seconds);
            }
        }

        public async Task<string> ExportAsync()
        {
            using var stream = new MemoryStream();
            await _registry.CollectAndExportAsTextAsync(stream);
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        private Gauge Gauge(CheckFamilyKind kind) => (Gauge)_families[kind];

        private Counter Counter(CheckFamilyKind kind) => (Counter)_families[kind];
    }

    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Writes++;
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
