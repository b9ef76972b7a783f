using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Synthetic.Cli;
using Synthetic.Hosting;
using Synthetic.Results;
using Synthetic.Scheduling;
using Synthetic.Verdicts;

namespace Synthetic.Tests.Hosting;

/// <summary>The /status document's field names and order: its readers (the page, scripts) rely on them; fields are only added.</summary>
public sealed class StatusReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task WriteAsync_EveryPart_NamesAndOrdersFieldsAsTheContract()
    {
        var store = new InMemoryResultStore();
        store.Register("t", ProbeNames.Transcription, TimeSpan.FromSeconds(30));
        var words = new[] { new DiffWord("sub", "fox", "box") };
        var sample = new SampleResult("fox", Outcome.Failure, "wer_exceeded", "WER 0.25", TimeSpan.FromMilliseconds(412), 1, "the quick brown box",
            0.25, "[fox→box]", 0.9, 2.5, 2.5, 0.2, "req-1", TimeSpan.FromSeconds(3)) { Words = words, Drift = 0.1 };
        var stream = new StreamSampleResult("fox", Outcome.Success, null, "ok", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(5),
            TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(80), 4, "the quick brown fox", 0, null, 1000, null) { Words = words };
        store.Add(new ProbeResult("t", ProbeNames.Transcription, Outcome.Failure, "wer_exceeded", "1 of 1 samples failed", Now, TimeSpan.FromMilliseconds(415),
            1, 200, new PhaseTimings(0.001, 0.002, null, null, 0.4, null))
        {
            Tls = new TlsDetails(Now.AddDays(30), Now.AddDays(-30), "CN=asr", "CN=ca", 2, null, false),
            Health = new HealthDetails(new Dictionary<string, bool> { ["lightning_asr"] = true }, 12.5, "1.2.3"),
            Samples = [sample],
            Streams = [stream],
        });
        var verdicts = new VerdictEvaluator(store, new FakeTimeProvider(Now), ["t"]);

        var document = StatusReport.Build(store, verdicts, ["t"], Now, new HashSet<string> { "t" }, new SaturationSnapshot(false, 0, 1, 0, 0, 8));
        using var json = JsonDocument.Parse(await WriteAsync(document));

        var root = json.RootElement;
        Assert.Equal(["version", "generatedAt", "saturation", "targets"], Names(root));
        Assert.Equal(["saturated", "lateChecks", "checks", "runsInFlight", "runsQueued", "admissionLimit"], Names(root.GetProperty("saturation")));
        var target = root.GetProperty("targets")[0];
        Assert.Equal(["name", "verdict", "tls", "checks"], Names(target));
        Assert.Equal(["falsePositiveHealth", "falseNegativeHealth", "explanation"], Names(target.GetProperty("verdict")));
        Assert.Equal(["insecureSkipVerify"], Names(target.GetProperty("tls")));
        var check = target.GetProperty("checks")[0];
        Assert.Equal(["probe", "intervalSeconds", "running", "skipped", "backoffUntil", "latest", "lastFailure", "history", "latencyHistoryMs"], Names(check));
        Assert.Equal(JsonValueKind.Null, check.GetProperty("lastFailure").ValueKind);
        Assert.Equal(["failure"], check.GetProperty("history").EnumerateArray().Select(e => e.GetString()));
        var latest = check.GetProperty("latest");
        Assert.Equal(["outcome", "reason", "detail", "startedAt", "durationMs", "attempts", "passedAfterRetry", "statusCode", "phasesMs", "tls", "health",
            "samples", "streams"], Names(latest));
        Assert.Equal(["dns", "connect", "processing"], Names(latest.GetProperty("phasesMs")));
        Assert.Equal(400, latest.GetProperty("phasesMs").GetProperty("processing").GetDouble());
        Assert.Equal(["notAfter", "notBefore", "subject", "issuer", "presentedCertificates", "problem", "insecureSkipVerify"], Names(latest.GetProperty("tls")));
        Assert.Equal(["components", "uptimeSeconds", "version"], Names(latest.GetProperty("health")));
        Assert.True(latest.GetProperty("health").GetProperty("components").GetProperty("lightning_asr").GetBoolean());
        var sampleJson = latest.GetProperty("samples")[0];
        Assert.Equal(["sample", "outcome", "reason", "detail", "latencyMs", "attempts", "transcript", "wordErrorRate", "drift", "diff", "words", "confidence",
            "returnedDurationSeconds", "trueDurationSeconds", "realTimeFactor", "requestId", "retryAfterSeconds"], Names(sampleJson));
        Assert.Equal(3, sampleJson.GetProperty("retryAfterSeconds").GetDouble());
        Assert.Equal(["op", "expected", "heard"], Names(sampleJson.GetProperty("words")[0]));
        Assert.Equal(["sample", "outcome", "reason", "detail", "durationMs", "handshakeMs", "timeToFirstTranscriptMs", "finalizeLatencyMs", "partials",
            "transcript", "wordErrorRate", "diff", "words", "closeCode", "statusCode"], Names(latest.GetProperty("streams")[0]));
    }

    [Fact]
    public async Task WriteAsync_ManyTargets_FlushesAsItGoesAndStaysOneDocument()
    {
        var store = new InMemoryResultStore();
        var names = Enumerable.Range(0, 400).Select(i => $"target-{i:D3}").ToList();
        foreach (var name in names)
        {
            store.Register(name, ProbeNames.Health, TimeSpan.FromSeconds(15));
            store.Add(new ProbeResult(name, ProbeNames.Health, Outcome.Success, null, new string('x', 300), Now, TimeSpan.FromMilliseconds(3), 1, 200,
                PhaseTimings.None));
        }

        var document = StatusReport.Build(store, new VerdictEvaluator(store, new FakeTimeProvider(Now), names), names, Now);
        var flushes = new CountingStream();
        await StatusReport.WriteAsync(PipeWriter.Create(flushes), document, CancellationToken.None);

        using var json = JsonDocument.Parse(flushes.ToArray());
        Assert.Equal(names, json.RootElement.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("saturation").ValueKind);
        // About 300 KB in 64 KiB flushes: the document never sits in the response whole.
        Assert.True(flushes.Length > 250_000, $"{flushes.Length} bytes");
        Assert.InRange(flushes.Flushes, 4, 8);
    }

    [Fact]
    public void Project_ForCheck_LeadsWithCheckFieldsAndStatusHasNone()
    {
        var result = new ProbeResult("t", ProbeNames.Health, Outcome.Success, null, "200: status=healthy", Now, TimeSpan.FromMilliseconds(12.3456), 1, 200,
            PhaseTimings.None);

        var forCheck = JsonSerializer.SerializeToElement(ResultJson.Project(result, passed: true), CheckCommand.JsonOptions);
        var forStatus = JsonSerializer.SerializeToElement(ResultJson.Project(result), StatusJsonContext.Default.ResultView);

        Assert.Equal(["probe", "passed", "latencyMs", "outcome"], Names(forCheck).Take(4));
        Assert.Equal(12.35, forCheck.GetProperty("latencyMs").GetDouble());
        Assert.Equal("outcome", Names(forStatus)[0]);
        Assert.False(forStatus.TryGetProperty("probe", out _));
    }

    private static async Task<byte[]> WriteAsync(StatusDocument document)
    {
        using var stream = new MemoryStream();
        await StatusReport.WriteAsync(PipeWriter.Create(stream), document, CancellationToken.None);
        return stream.ToArray();
    }

    private sealed class CountingStream : MemoryStream
    {
        public int Flushes { get; private set; }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return base.FlushAsync(cancellationToken);
        }
    }

    private static List<string> Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();
}
