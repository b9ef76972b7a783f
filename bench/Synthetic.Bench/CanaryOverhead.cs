using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Synthetic.Checks;
using Synthetic.Audio;
using Synthetic.Configuration;
using Synthetic.Metrics;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Scheduling;
using Synthetic.Checks.Transcription;
using Synthetic.Verdicts;

namespace Synthetic.Bench;

/// <summary>
/// Scenario 4, second half: the canary's own work besides the network, measured in the driver process.
/// The stand-in's real answer to each sample is fetched once; then every run replays it through the
/// monitor's own code: build the request (<see cref="DialectClient"/>), score the answer
/// (<see cref="TranscriptionCanary.Score"/>: normalize, align, WER, classify), summarize the run, and record it
/// through <see cref="CheckRunner"/> (store, metrics, verdicts), exactly as a scheduled run does after its
/// HTTP exchange. CPU time of the process over many runs, divided by the runs.
/// </summary>
internal static class CanaryOverhead
{
    public sealed record Result(string Samples, int Runs, double MicrosPerRun, string Outcome);

    public static async Task<Result> MeasureAsync(BenchContext context, Uri standIn, IReadOnlyList<string> sampleIds, int runs,
        CancellationToken cancellationToken)
    {
        var required = sampleIds.ToDictionary(id => id, id => "bench sample " + id, StringComparer.Ordinal);
        var (clips, errors) = ClipLibrary.Load(context.FixturesPath, required);
        if (clips is null)
        {
            throw new BenchException("cannot load the fixtures: " + string.Join("; ", errors));
        }

        var baseUrl = new Uri(standIn.ToString().TrimEnd('/') + "/");
        var plan = CanaryPlan.Default with { Samples = [.. sampleIds] };
        var target = new TargetPlan("bench", baseUrl, null, new Dictionary<string, string>(), false, null, plan);
        using var canary = new TranscriptionCanary(target, plan, clips, TimeProvider.System, new Redactor(null));
        var dialect = new DialectClient(TranscriptionDialects.Get(plan.Dialect), baseUrl, plan, null, sampleIds.Select(id => clips[id]));

        // The stand-in's real answers, fetched once.
        var answers = new List<(Clip Clip, HttpExchange Exchange)>();
        foreach (var id in sampleIds)
        {
            using var request = dialect.CreateRequest(clips[id], "bench-fetch");
            using var response = await context.Http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            answers.Add((clips[id], new HttpExchange((int)response.StatusCode, body, false, response.Headers, response.Content.Headers)));
        }

        var store = new InMemoryResultStore();
        var metrics = new SyntheticMetrics(Prometheus.Metrics.NewCustomRegistry(), "bench");
        var verdicts = new VerdictPublisher(new VerdictEvaluator(store, TimeProvider.System, ["bench"]), metrics);
        var replay = new ReplayCheck(canary, dialect, answers);
        var health = new FixedCheck("bench", "health");
        var runner = new CheckRunner([replay, health], store, metrics, verdicts, TimeProvider.System, NullLogger<CheckRunner>.Instance);
        await runner.RunAsync(CheckRunner.Key(health), null, cancellationToken);
        var key = CheckRunner.Key(replay);

        for (var i = 0; i < Math.Max(500, runs / 10); i++)
        {
            await runner.RunAsync(key, DateTimeOffset.UtcNow, cancellationToken);
        }

        GC.Collect();
        var cpu0 = Environment.CpuUsage.TotalTime;
        var wall = Stopwatch.GetTimestamp();
        for (var i = 0; i < runs; i++)
        {
            await runner.RunAsync(key, DateTimeOffset.UtcNow, cancellationToken);
        }

        var cpu = (Environment.CpuUsage.TotalTime - cpu0).TotalMilliseconds;
        BenchLog.Info($"canary overhead ({string.Join(",", sampleIds)}): {cpu:F0} ms CPU for {runs} replayed runs in {Stopwatch.GetElapsedTime(wall).TotalMilliseconds:F0} ms");
        var latest = store.Get("bench", "transcription")?.Latest;
        var outcome = latest is null ? "none" : latest.Outcome.Name() + (latest.Reason is null ? string.Empty : $" ({latest.Reason})");
        return new Result(string.Join(", ", sampleIds), runs, cpu * 1000 / runs, outcome);
    }

    /// <summary>A canary run without the network: the request is built and dropped, the recorded answers are scored.</summary>
    private sealed class ReplayCheck(TranscriptionCanary canary, DialectClient dialect, List<(Clip Clip, HttpExchange Exchange)> answers) : ICheck
    {
        public string Target => canary.Target;

        public string Probe => canary.Probe;

        public TimeSpan Interval => canary.Interval;

        public int Retries => canary.Retries;

        public Task<ProbeResult> RunAsync(CancellationToken cancellationToken)
        {
            var startedAt = DateTimeOffset.UtcNow;
            var samples = new List<SampleResult>(answers.Count);
            foreach (var (clip, exchange) in answers)
            {
                var requestId = $"synthetic-bench-{clip.Id}-{Guid.NewGuid().ToString("N")[..12]}";
                using (dialect.CreateRequest(clip, requestId))
                {
                }

                samples.Add(canary.Score(clip, exchange, TimeSpan.FromMilliseconds(120), 1, requestId));
            }

            return Task.FromResult(canary.Summarize(startedAt, TimeSpan.FromMilliseconds(120 * answers.Count), samples, 200, PhaseTimings.None));
        }
    }

    /// <summary>A passing health result, so the verdict has both sides to compare.</summary>
    private sealed class FixedCheck(string target, string probe) : ICheck
    {
        public string Target => target;

        public string Probe => probe;

        public TimeSpan Interval => TimeSpan.FromHours(1);

        public int Retries => 0;

        public Task<ProbeResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(
            new ProbeResult(target, probe, Outcome.Success, null, "200: status=healthy", DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(2), 1, 200, PhaseTimings.None));
    }
}
