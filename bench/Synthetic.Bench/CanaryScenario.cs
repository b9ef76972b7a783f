namespace Synthetic.Bench;

/// <summary>
/// Scenario 4: CPU per transcription canary run, the stand-in being a separate process whose CPU is not
/// counted. A bare HttpClient sending the same request at the same rate tells the HTTP stack's share.
/// </summary>
internal static class CanaryScenario
{
    private const string Title = "4. Canary cost";
    private const string Scenario = "4 canary cost";

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var section = context.Report.Section(Title);
        var standIn = await StandInProcess.StartAsync(context, "s4-standin", cancellationToken);
        try
        {
            var baseUrl = standIn.BaseUrl.ToString().TrimEnd('/');
            var targets = Enumerable.Range(0, options.CanaryTargets).Select(i => (object)new Dictionary<string, object>
            {
                ["Name"] = $"c{i:D2}",
                ["BaseUrl"] = baseUrl,
                ["Health"] = new Dictionary<string, object> { ["Enabled"] = false },
                ["Canary"] = new Dictionary<string, object>
                {
                    ["Interval"] = "00:00:01",
                    ["Timeout"] = "00:00:00.900",
                },
            }).ToList();
            var monitor = await MonitorProcess.StartAsync(context, "s4-synthetic", targets, cancellationToken);
            double cpuPerRun, percent, runs, failed, skipped, standInPerRequest, rss;
            try
            {
                await Task.Delay(options.CanaryWarmup, cancellationToken);
                var m0 = await monitor.ScrapeAsync(context, cancellationToken);
                var c0 = CpuSample.Take(monitor.Pid);
                var s0 = CpuSample.Take(standIn.Child.Pid);
                await Task.Delay(options.CanaryWindow, cancellationToken);
                var c1 = CpuSample.Take(monitor.Pid);
                var s1 = CpuSample.Take(standIn.Child.Pid);
                rss = ProcStat.RssMb(monitor.Pid);
                var m1 = await monitor.ScrapeAsync(context, cancellationToken);
                (runs, failed, skipped) = RunDelta.Between(m0, m1, "transcription");
                cpuPerRun = c1.CpuMsSince(c0) / runs;
                percent = c1.PercentSince(c0);
                standInPerRequest = s1.CpuMsSince(s0) / runs;
                BenchLog.Info($"canary: {c1.CpuMsSince(c0):F0} ms CPU for {runs:F0} runs ({failed:F0} failed, {skipped:F0} skipped)");
            }
            finally
            {
                await monitor.Child.DisposeAsync();
            }

            var rate = options.CanaryTargets / 1.0;
            var baseline = await CpuMeasure.BaselineAsync(context, standIn.BaseUrl, "canary", rate, options.CanaryWarmup, options.CanaryWindow / 2, cancellationToken);
            var replays = options.Quick ? 2000 : 20000;
            var own = await CanaryOverhead.MeasureAsync(context, standIn.BaseUrl, ["quick-brown-fox"], replays, cancellationToken);
            var allSamples = await CanaryOverhead.MeasureAsync(context, standIn.BaseUrl,
                ["quick-brown-fox", "numbers-dates", "long-passage", "second-voice", "near-silence"], replays / 5, cancellationToken);
            context.Report.Add(new Row(Scenario, $"CPU ms per canary run, end to end in the monitor ({options.CanaryTargets} targets × 1 s, 1 sample, {options.CanaryWindow.TotalSeconds:F0} s)",
                Report.Num(cpuPerRun, 3), "n/a (cannot send a WAV body)", string.Empty, string.Empty, string.Empty));
            context.Report.Add(new Row(Scenario, "… the bare .NET HTTP POST + JSON parse of the same request (own process, for scale)",
                Report.Num(baseline.MsPerRequest, 3), string.Empty, string.Empty, string.Empty, string.Empty));
            context.Report.Add(new Row(Scenario, $"Synthetic's own CPU per run besides the network (1 sample, {own.Runs} replayed runs)",
                Report.Num(own.MicrosPerRun / 1000, 3), string.Empty, string.Empty, "< 1 ms", Report.Met(own.MicrosPerRun < 1000)));
            context.Report.Add(new Row(Scenario, $"… with all 5 fixture samples in one run ({allSamples.Runs} replayed runs)",
                Report.Num(allSamples.MicrosPerRun / 1000, 3), string.Empty, string.Empty, string.Empty, string.Empty));
            context.Report.Add(new Row(Scenario, "runs in window (failed, skipped); CPU % of one core", $"{runs:F0} ({failed:F0}, {skipped:F0}); {percent:F1} %",
                string.Empty, string.Empty, string.Empty, string.Empty));

            section.Add($"- {options.CanaryTargets} targets on one stand-in process (`Synthetic.StandIn --quiet`, its own process), health disabled, canary " +
                        "Interval 1 s, Timeout 900 ms, dialect smallest-listen, the default sample quick-brown-fox (a 2.9 s WAV, multipart POST /v1/listen). " +
                        $"Warm-up {options.CanaryWarmup.TotalSeconds:F0} s, window {options.CanaryWindow.TotalSeconds:F0} s; runs from `synthetic_probe_runs_total{{probe=\"transcription\"}}`. " +
                        $"Monitor RSS at the end {rss:F0} MB.");
            section.Add($"- A run = build the request (body prepared once at start-up), a fresh connection, POST ~{new FileInfo(Path.Combine(context.FixturesPath, "quick-brown-fox.wav")).Length / 1024} KiB, " +
                        "read the JSON answer, normalize and align the transcript (WER), classify, record metrics and /status, refresh verdicts.");
            section.Add($"- Baseline: a bare `HttpClient` in its own process sending the same multipart request (built by Synthetic's `DialectClient`) with " +
                        $"`Connection: close` at {rate:F0}/s, reading and parsing the answer: {baseline.MsPerRequest:F3} ms per request ({baseline.Completed} requests, {baseline.Ok} ok).");
            section.Add($"- Besides the network: the stand-in's answer to each sample is fetched once, then replayed {own.Runs} times in the driver process " +
                        "through the monitor's own code — build the request (`DialectClient`), `TranscriptionCanary.Score` (normalize, align, WER, classify), " +
                        "`Summarize`, and `CheckRunner` (skip logic, store, metrics, verdicts) — and the process CPU time is divided by the runs: " +
                        $"**{own.MicrosPerRun:F0} µs per run** with one sample (last outcome {own.Outcome}), {allSamples.MicrosPerRun:F0} µs with all five samples " +
                        $"(last outcome {allSamples.Outcome}). The end-to-end figure minus the bare-client figure tells the same thing more noisily: " +
                        $"{cpuPerRun - baseline.MsPerRequest:F3} ms.");
            section.Add($"- The stand-in spent {standInPerRequest:F3} ms CPU per request (not counted). blackbox_exporter has no equivalent: its http module " +
                        "sends a text `body`, not an audio file, and cannot score a transcript.");
        }
        finally
        {
            await standIn.Child.DisposeAsync();
        }
    }
}
