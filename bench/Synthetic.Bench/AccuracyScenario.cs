using System.Globalization;
using System.Text;
using Synthetic.Configuration;
using Synthetic.Checks.Health;
using Synthetic.Probing;
using Synthetic.Results;

namespace Synthetic.Bench;

/// <summary>
/// Scenario 2: measurement accuracy. A helper server answers after a known delay and logs the true handling
/// time of each request; each tool's reported latency minus that true time is the error. Synthetic's
/// <see cref="HealthProbe"/> runs in the driver process (the monitor's own code, no scheduler); blackbox_exporter
/// reports <c>probe_duration_seconds</c> and <c>probe_http_duration_seconds{phase="processing"}</c>.
/// </summary>
internal static class AccuracyScenario
{
    private const string Title = "2. Measurement accuracy";
    /// <summary>One probe's report. <paramref name="Occurrence"/>: how many earlier requests carried the same id.</summary>
    private sealed record Sample(string Id, int Occurrence, double TotalSeconds, double? ProcessingSeconds, bool Ok);

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var section = context.Report.Section(Title);
        var port = context.FreePort();
        var server = Child.Start(context, "delay-server", "dotnet", [BenchContext.BenchDll, "delay-server", "--port", port.ToString(CultureInfo.InvariantCulture)]);
        var blackbox = await Blackbox.StartAsync(context, "s2-blackbox", cancellationToken);
        try
        {
            await WaitForLineAsync(server, "READY", cancellationToken);
            var baseUrl = new Uri($"http://127.0.0.1:{port}/");
            using var handler = new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 16 };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
            var raw = new StringBuilder("tool,delay_ms,id,true_ms,reported_total_ms,reported_processing_ms,ok\n");
            section.Add($"- The delay server (a helper process of the driver) waits exactly d ms after a request's header block arrived, then answers " +
                        $"`{{\"status\":\"healthy\"}}` with `Connection: close`; it logs the true handling time (request headers read → response ready to send). " +
                        $"Error = reported − true. {options.AccuracySamples} probes per tool and delay after {options.AccuracyWarmup} discarded, both tools at once, one probe in flight each.");
            section.Add("- Floor, for scale (not a contender): at the same time a third helper process probes with a blocking socket on its main thread " +
                        "(no HTTP library, no async; total = connect start → last byte, processing = request sent → first byte) — about the least error any client " +
                        "on this machine can have, so a target below it cannot be met by any tool here.");
            section.Add("- Synthetic: `HealthProbe.RunAsync` (the monitor's probe: Polly pipeline, own connect callback, timing stream, fresh connection; one probe object per delay, " +
                        "reused like a check's) in a helper process of its own that runs with the shipped monitor's runtimeconfig; " +
                        "total = `ProbeResult.Duration` (exported as `synthetic_probe_duration_seconds`), processing = the `processing` phase (last request byte written → first response byte).");
            section.Add("- blackbox_exporter: `probe_duration_seconds` and `probe_http_duration_seconds{phase=\"processing\"}` from the /probe answer (module without body check).");
            section.Add(string.Empty);
            section.Add("| delay | tool | total error p50 | p90 | p99 | max | processing error p50 | p90 | p99 | max | failed |");
            section.Add("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");

            foreach (var delay in options.AccuracyDelaysMs)
            {
                var (synthetic, bb, floor) = await RunSideBySideAsync(context, client, blackbox, baseUrl, delay, cancellationToken);
                await Task.Delay(300, cancellationToken);
                var truth = ReadTruth(server);
                var s = Errors(synthetic, truth, options.AccuracyWarmup);
                var b = Errors(bb, truth, options.AccuracyWarmup);
                var f = Errors(floor, truth, options.AccuracyWarmup);
                foreach (var (tool, samples) in new[] { ("synthetic", synthetic), ("blackbox", bb), ("floor", floor) })
                {
                    foreach (var sample in samples)
                    {
                        raw.Append(CultureInfo.InvariantCulture,
                            $"{tool},{delay},{sample.Id}#{sample.Occurrence},{(TrueSeconds(truth, sample) is { } t ? (t * 1000).ToString("F4", CultureInfo.InvariantCulture) : string.Empty)}," +
                            $"{(sample.TotalSeconds * 1000).ToString("F4", CultureInfo.InvariantCulture)},{(sample.ProcessingSeconds * 1000)?.ToString("F4", CultureInfo.InvariantCulture)},{sample.Ok}\n");
                    }
                }

                section.Add(TableLine(delay, "Synthetic", s));
                section.Add(TableLine(delay, "blackbox_exporter", b));
                section.Add(TableLine(delay, "floor: blocking socket", f));
                var p99Met = s.TotalP99 < 0.001 && s.TotalP99 <= b.TotalP99;
                context.Report.Add(new Row($"2 accuracy, {delay} ms target", "total latency − true, p50 / p90 / p99",
                    $"{Report.Ms(s.TotalP50, 2)} / {Report.Ms(s.TotalP90, 2)} / {Report.Ms(s.TotalP99, 2)}", $"{Report.Ms(b.TotalP50, 2)} / {Report.Ms(b.TotalP90, 2)} / {Report.Ms(b.TotalP99, 2)}",
                    Report.Ratio(s.TotalP99, b.TotalP99) + " (p99)", "p99 < 1 ms and ≤ blackbox", Report.Met(p99Met)));
                context.Report.Add(new Row($"2 accuracy, {delay} ms target", "processing phase − true, p50 / p90 / p99",
                    $"{Report.Ms(s.ProcessingP50, 2)} / {Report.Ms(s.ProcessingP90, 2)} / {Report.Ms(s.ProcessingP99, 2)}", $"{Report.Ms(b.ProcessingP50, 2)} / {Report.Ms(b.ProcessingP90, 2)} / {Report.Ms(b.ProcessingP99, 2)}",
                    Report.Ratio(s.ProcessingP99, b.ProcessingP99) + " (p99)", "p99 < 1 ms and ≤ blackbox",
                    Report.Met(s.ProcessingP99 < 0.001 && s.ProcessingP99 <= b.ProcessingP99)));
                context.Report.Add(new Row($"2 accuracy, {delay} ms target", "… floor: a blocking socket, no HTTP library, same moments (total / processing p99)",
                    $"{Report.Ms(f.TotalP99, 2)} / {Report.Ms(f.ProcessingP99, 2)}", string.Empty, string.Empty, string.Empty, string.Empty));
            }

            var rawFile = Path.Combine(Runner.RawFolder(context), "accuracy.csv");
            await File.WriteAllTextAsync(rawFile, raw.ToString(), cancellationToken);
            section.Add(string.Empty);
            section.Add($"Per-probe data: `bench/results/raw/accuracy.csv` (not committed).");
        }
        finally
        {
            await blackbox.Child.DisposeAsync();
            await server.DisposeAsync();
        }
    }

    private static string TableLine(int delay, string tool, ErrorStats e) =>
        $"| {delay} ms | {tool} | {Report.Ms(e.TotalP50, 3)} | {Report.Ms(e.TotalP90, 3)} | {Report.Ms(e.TotalP99, 3)} | {Report.Ms(e.TotalMax, 3)} | " +
        $"{Report.Ms(e.ProcessingP50, 3)} | {Report.Ms(e.ProcessingP90, 3)} | {Report.Ms(e.ProcessingP99, 3)} | {Report.Ms(e.ProcessingMax, 3)} | {e.Failed} of {e.Count} |";

    private sealed record ErrorStats(double TotalP50, double TotalP90, double TotalP99, double TotalMax, double ProcessingP50, double ProcessingP90,
        double ProcessingP99, double ProcessingMax, int Failed, int Count);

    private static ErrorStats Errors(List<Sample> samples, Dictionary<string, List<double>> truth, int warmup)
    {
        var measured = samples.Skip(warmup).ToList();
        var total = new List<double>();
        var processing = new List<double>();
        var failed = 0;
        foreach (var sample in measured)
        {
            if (!sample.Ok || TrueSeconds(truth, sample) is not { } trueSeconds)
            {
                failed++;
                continue;
            }

            total.Add(sample.TotalSeconds - trueSeconds);
            if (sample.ProcessingSeconds is { } p)
            {
                processing.Add(p - trueSeconds);
            }
        }

        return new ErrorStats(Stats.Percentile(total, 50), Stats.Percentile(total, 90), Stats.Percentile(total, 99), total.Count > 0 ? total.Max() : double.NaN,
            Stats.Percentile(processing, 50), Stats.Percentile(processing, 90), Stats.Percentile(processing, 99),
            processing.Count > 0 ? processing.Max() : double.NaN, failed, measured.Count);
    }

    /// <summary>The server's record of this request: the <see cref="Sample.Occurrence"/>-th request with its id.</summary>
    private static double? TrueSeconds(Dictionary<string, List<double>> truth, Sample sample) =>
        truth.TryGetValue(sample.Id, out var times) && sample.Occurrence < times.Count ? times[sample.Occurrence] : null;

    /// <summary>
    /// Both tools and the floor client side by side, one probe in flight each, so all see the same moments of a noisy
    /// machine. Synthetic's
    /// probes run in a helper process of their own (<see cref="AccuracyProbe"/>), one <see cref="HealthProbe"/> reused for
    /// all runs as the monitor reuses a check's, so all its requests carry one id and are matched to the server's
    /// records by order; blackbox_exporter gets a new target URL, hence an id, per probe.
    /// </summary>
    private static async Task<(List<Sample> Synthetic, List<Sample> Blackbox, List<Sample> Floor)> RunSideBySideAsync(BenchContext context, HttpClient client, Blackbox blackbox,
        Uri baseUrl, int delay, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var count = options.AccuracyWarmup + options.AccuracySamples;
        var syntheticId = $"s{delay}";
        var floorId = $"r{delay}";
        var prober = StartProber(context, $"s2-synthetic-{delay}", new Uri(baseUrl, $"/health?d={delay}&id={syntheticId}"), count, raw: false);
        var floor = StartProber(context, $"s2-floor-{delay}", new Uri(baseUrl, $"/health?d={delay}&id={floorId}"), count, raw: true);
        try
        {
            var bb = new List<Sample>(count);
            for (var i = 0; i < count; i++)
            {
                var id = $"b{delay}-{i}";
                var target = new Uri(baseUrl, $"/health?d={delay}&id={id}");
                var text = await client.GetStringAsync(blackbox.ProbeUrl(target, "http_2xx_plain"), cancellationToken);
                var parsed = PromText.Parse(text);
                var total = PromText.Single(parsed, "probe_duration_seconds") ?? double.NaN;
                var processing = PromText.Single(parsed, "probe_http_duration_seconds", l => l.TryGetValue("phase", out var p) && p == "processing");
                bb.Add(new Sample(id, 0, total, processing, PromText.Single(parsed, "probe_success") == 1));
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60) + TimeSpan.FromMilliseconds(count * (delay + 50));
            while (!(prober.HasExited && floor.HasExited) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }

            return (ReadProber(prober, syntheticId, count), bb, ReadProber(floor, floorId, count));
        }
        finally
        {
            await prober.DisposeAsync();
            await floor.DisposeAsync();
        }
    }

    /// <summary>An <see cref="AccuracyProbe"/> helper process under the shipped monitor's runtimeconfig.</summary>
    private static Child StartProber(BenchContext context, string name, Uri url, int count, bool raw)
    {
        List<string> arguments =
        [
            "exec", "--runtimeconfig", Path.Combine(context.Options.App, "Synthetic.runtimeconfig.json"), BenchContext.BenchDll, "accuracy-probe",
            "--url", url.ToString(), "--count", count.ToString(CultureInfo.InvariantCulture),
        ];
        if (raw)
        {
            arguments.Add("--raw");
        }

        return Child.Start(context, name, "dotnet", [.. arguments]);
    }

    /// <summary>The helper's <c>SAMPLE index total processing ok</c> lines; all its requests carry <paramref name="id"/>.</summary>
    private static List<Sample> ReadProber(Child prober, string id, int count)
    {
        var samples = new List<Sample>(count);
        foreach (var line in File.ReadLines(prober.Log))
        {
            if (line.Split(' ') is ["SAMPLE", var index, var total, var processing, var ok])
            {
                samples.Add(new Sample(id, int.Parse(index, CultureInfo.InvariantCulture), double.Parse(total, CultureInfo.InvariantCulture),
                    processing == "-" ? null : double.Parse(processing, CultureInfo.InvariantCulture), ok == "1"));
            }
        }

        if (samples.Count != count)
        {
            throw new BenchException($"{prober.Name} reported {samples.Count} of {count} probes:\n{prober.Tail()}");
        }

        return samples;
    }

    /// <summary>True handling times per request id, in the order the requests arrived (an id can repeat).</summary>
    private static Dictionary<string, List<double>> ReadTruth(Child server)
    {
        var records = new List<(string Id, double Seconds, long Arrived)>();
        foreach (var line in File.ReadLines(server.Log))
        {
            if (line.Split(' ') is ["REC", var id, _, var us, var arrived])
            {
                records.Add((id, double.Parse(us, CultureInfo.InvariantCulture) / 1e6, long.Parse(arrived, CultureInfo.InvariantCulture)));
            }
        }

        return records.OrderBy(r => r.Arrived).GroupBy(r => r.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Seconds).ToList(), StringComparer.Ordinal);
    }

    internal static async Task WaitForLineAsync(Child child, string prefix, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 150; i++)
        {
            child.EnsureRunning();
            if (File.Exists(child.Log) && File.ReadLines(child.Log).Any(l => l.StartsWith(prefix, StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new BenchException($"{child.Name} did not print {prefix} within 30 s:\n{child.Tail()}");
    }
}
