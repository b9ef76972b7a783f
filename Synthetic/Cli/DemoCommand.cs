using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Synthetic.Hosting;
using Synthetic.StandIn;

namespace Synthetic.Cli;

/// <summary>
/// <c>synthetic demo</c>: starts the stand-in (a test double of the Smallest self-host server) in-process,
/// monitors it with short intervals, and walks a fault timeline (healthy → false positive → recovery),
/// printing what the monitor's own /status and /metrics say each second. Exit 0 when the false positive
/// was caught and cleared, 1 otherwise.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Demo-only key shared with the stand-in, to show it is sent and never printed.</summary>
    internal const string DemoLicenseKey = "demo-license-5f0c8e2a9d41";

    private static readonly (double At, string Mode, string Story)[] Timeline =
    [
        (0.00, "healthy", "everything works: health passes, batch and streaming canaries transcribe correctly"),
        (0.15, "false-positive", "FAULT: /health still says healthy, but /v1/listen answers 500"),
        (0.40, "healthy", "RECOVERY: transcription works again"),
        (0.55, "stream-broken", "FAULT: /health and POST /v1/listen work, but the WebSocket stream is refused (502)"),
        (0.75, "healthy", "RECOVERY: streaming works again"),
        (0.85, "wrong-transcript", "FAULT: the model returns wrong words (health still healthy)"),
        (0.95, "healthy", "RECOVERY"),
    ];

    /// <summary>With <c>--recognizer pocketsphinx</c>: real transcripts, and the fault only a scoring canary sees.</summary>
    private static readonly (double At, string Mode, string Story)[] RealTimeline =
    [
        (0.00, "healthy", "everything works: pocketsphinx transcribes the clip for real (the WER is not 0)"),
        (0.20, "false-positive", "FAULT: /health still says healthy, but /v1/listen answers 500"),
        (0.45, "healthy", "RECOVERY: transcription works again"),
        (0.60, "wrong-sample-rate", "FAULT: the server decodes the audio at half its rate: 200 OK, garbled words (health still healthy)"),
        (0.85, "healthy", "RECOVERY"),
    ];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var seconds = new Option<int>("--seconds")
        {
            Description = "How long the demo runs, in seconds (at least 15).",
            HelpName = "N",
            DefaultValueFactory = _ => 60,
        };
        seconds.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 15)
            {
                result.AddError("--seconds: N must be at least 15.");
            }
        });
        var recognizer = new Option<string>("--recognizer")
        {
            Description = "How the stand-in hears the audio: none (looks the clip up by hash; the default) or pocketsphinx (real recognition; " +
                          "needs Debian's pocketsphinx and pocketsphinx-en-us).",
            HelpName = "NAME",
            DefaultValueFactory = _ => "none",
        };
        recognizer.AcceptOnlyFromAmong("none", "pocketsphinx");
        var command = new Command("demo", "Start the stand-in (a test double of the Smallest self-host server), monitor it and walk a fault timeline.")
        {
            seconds, recognizer,
        };
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult.GetValue(seconds), parseResult.GetValue(recognizer) == "pocketsphinx", stdout, stderr, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int seconds, bool real, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        StandInServer standIn;
        try
        {
            standIn = await StandInServer.StartAsync(new StandInOptions
            {
                LicenseKey = DemoLicenseKey,
                Quiet = true,
                RecognizerKind = real ? Synthetic.StandIn.Recognition.RecognizerChoice.PocketSphinx : Synthetic.StandIn.Recognition.RecognizerChoice.None,
            }, cancellationToken);
        }
        catch (Exception ex) when (real && ex is FileNotFoundException or InvalidDataException or DllNotFoundException)
        {
            await stderr.WriteLineAsync($"synthetic demo: --recognizer pocketsphinx needs Debian's pocketsphinx: {ex.Message}");
            await stderr.WriteLineAsync("Install it with: apt-get update && apt-get install -y pocketsphinx pocketsphinx-en-us (or run the demo without --recognizer).");
            return ExitCodes.BadConfiguration;
        }

        await using var owned = standIn;
        var listen = PortIsFree(9190) ? "http://127.0.0.1:9190" : "http://127.0.0.1:0";
        var config = new Dictionary<string, string?>
        {
            ["Synthetic:Listen"] = listen,
            ["Synthetic:SpreadStart"] = "false",
            ["Synthetic:Targets:0:Name"] = "demo",
            ["Synthetic:Targets:0:BaseUrl"] = standIn.BaseUrl.ToString(),
            ["Synthetic:Targets:0:LicenseKey"] = DemoLicenseKey,
            ["Synthetic:Targets:0:Health:Interval"] = "1s",
            ["Synthetic:Targets:0:Health:Timeout"] = "800ms",
            ["Synthetic:Targets:0:Canary:Interval"] = "2s",
            ["Synthetic:Targets:0:Canary:Timeout"] = "1500ms",
            ["Synthetic:Targets:0:Canary:MaxLatency"] = "1500ms",
            ["Synthetic:Targets:0:Canary:DegradedLatency"] = "1s",
            // The streaming canary: quick-brown-fox over WebSocket at 4x real time.
            ["Synthetic:Targets:0:Streaming:Enabled"] = "true",
            ["Synthetic:Targets:0:Streaming:Interval"] = "2s",
            ["Synthetic:Targets:0:Streaming:Timeout"] = "1500ms",
            ["Synthetic:Targets:0:Streaming:Pace"] = "4",
        };
        if (real)
        {
            // Real decoding takes about a second per clip: a slower canary, and no streaming canary (one core is enough).
            config["Synthetic:Targets:0:Canary:Interval"] = "6s";
            config["Synthetic:Targets:0:Canary:Timeout"] = "5s";
            config["Synthetic:Targets:0:Canary:MaxLatency"] = "5s";
            config["Synthetic:Targets:0:Canary:DegradedLatency"] = "4s";
            config["Synthetic:Targets:0:Streaming:Enabled"] = "false";
        }

        var (app, errors) = SyntheticApp.CreateMonitor([], config, configure: builder => builder.Logging.ClearProviders());
        if (app is null)
        {
            await ConfigurationArguments.WriteErrorsAsync(stderr, errors);
            return ExitCodes.BadConfiguration;
        }

        await using (app)
        {
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(5) };
            await stdout.WriteLineAsync($"""
                Synthetic demo ({seconds} s). Target: the stand-in, a TEST DOUBLE of the Smallest self-host API server, at {standIn.BaseUrl}
                The monitor serves {address}/metrics and {address}/status: curl them while this runs.
                Health every 1 s, {(real ? "transcription canary (real audio, scored by WER) every 6 s, no streaming canary" : "transcription canary (real audio, scored by WER) every 2 s, streaming canary (WebSocket) every 2 s")}.

                """);
            await stdout.WriteLineAsync(real
                ? "The stand-in transcribes with pocketsphinx (en-us): the canary scores real transcripts, so the WER is not 0 when healthy.\n"
                : string.Empty);
            await stdout.WriteLineAsync("   t  stand-in mode     health    canary                  WER   streaming               false_positive");
            var outcome = await WalkAsync(standIn, http, seconds, real, stdout, cancellationToken);
            await app.StopAsync(CancellationToken.None);
            return outcome;
        }
    }

    private static async Task<int> WalkAsync(StandInServer standIn, HttpClient http, int seconds, bool real, TextWriter stdout,
        CancellationToken cancellationToken)
    {
        var timeline = real ? RealTimeline : Timeline;
        var start = TimeProvider.System.GetTimestamp();
        var phase = -1;
        double? faultAt = null, caughtAt = null, recoveredAt = null, clearedAt = null, streamFaultAt = null, streamCaughtAt = null;
        for (var tick = 0; tick <= seconds; tick++)
        {
            var elapsed = TimeProvider.System.GetElapsedTime(start).TotalSeconds;
            var next = Array.FindLastIndex(timeline, p => p.At * seconds <= elapsed);
            if (next != phase)
            {
                phase = next;
                standIn.SetMode(new StandInMode(timeline[phase].Mode));
                await stdout.WriteLineAsync($"  -- {elapsed,3:F0}s  stand-in → {timeline[phase].Mode}: {timeline[phase].Story}");
                if (timeline[phase].Mode == "false-positive")
                {
                    faultAt = elapsed;
                }
                else if (timeline[phase].Mode == "stream-broken")
                {
                    streamFaultAt = elapsed;
                }
                else if (faultAt is not null && recoveredAt is null)
                {
                    recoveredAt = elapsed;
                }
            }

            var (health, canary, wer, streaming, falsePositive, heard) = await ReadAsync(http, cancellationToken);
            var broken = streaming.StartsWith("failure", StringComparison.Ordinal) ? "streaming" : "transcription";
            var flag = falsePositive == 1 ? $"1  <== CAUGHT: health says healthy, {broken} is broken" : falsePositive?.ToString(CultureInfo.InvariantCulture) ?? "-";
            await stdout.WriteLineAsync($"{elapsed,4:F0}s  {standIn.Mode.Name,-16}  {health,-8}  {canary,-22}  {wer,4}  {streaming,-22}  {flag}" +
                                        (real && heard is not null ? $"  heard \"{heard}\"" : string.Empty));
            if (falsePositive == 1 && streamFaultAt is not null && streamCaughtAt is null && broken == "streaming")
            {
                streamCaughtAt = elapsed;
            }

            if (falsePositive == 1 && faultAt is not null && caughtAt is null)
            {
                caughtAt = elapsed;
            }

            if (falsePositive == 0 && caughtAt is not null && recoveredAt is not null && clearedAt is null)
            {
                clearedAt = elapsed;
            }

            var wait = TimeSpan.FromSeconds(tick + 1) - TimeProvider.System.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }
        }

        await stdout.WriteLineAsync();
        if (caughtAt is { } caught && clearedAt is { } cleared)
        {
            await stdout.WriteLineAsync($"False positive caught {caught - faultAt:F0} s after the fault, cleared {cleared - recoveredAt:F0} s after recovery. " +
                                        "A /health-only monitor would have stayed green throughout.");
            if (streamCaughtAt is { } streamCaught)
            {
                await stdout.WriteLineAsync($"Broken stream caught {streamCaught - streamFaultAt:F0} s after the fault, while /health and POST /v1/listen " +
                                            "both passed: only a streaming canary sees it.");
            }

            return ExitCodes.Ok;
        }

        await stdout.WriteLineAsync("The false positive was not both caught and cleared in this run (a slow machine?); try --seconds 90.");
        return ExitCodes.Failed;
    }

    private static async Task<(string Health, string Canary, string Wer, string Streaming, int? FalsePositive, string? Heard)> ReadAsync(HttpClient http,
        CancellationToken cancellationToken)
    {
        try
        {
            var status = await http.GetFromJsonAsync<JsonElement>("/status", cancellationToken);
            var checks = status.GetProperty("targets")[0].GetProperty("checks").EnumerateArray().ToList();
            var health = Describe(checks.FirstOrDefault(c => c.GetProperty("probe").GetString() == "health"));
            var canaryCheck = checks.FirstOrDefault(c => c.GetProperty("probe").GetString() == "transcription");
            var canary = Describe(canaryCheck);
            var streaming = Describe(checks.FirstOrDefault(c => c.GetProperty("probe").GetString() == "streaming"));
            var wer = "-";
            string? heard = null;
            if (canaryCheck.ValueKind == JsonValueKind.Object && canaryCheck.GetProperty("latest") is { ValueKind: JsonValueKind.Object } latest &&
                latest.GetProperty("samples") is { ValueKind: JsonValueKind.Array } samples && samples.GetArrayLength() > 0 &&
                samples[0].GetProperty("wordErrorRate") is { ValueKind: JsonValueKind.Number } w)
            {
                wer = w.GetDouble().ToString("F2", CultureInfo.InvariantCulture);
                heard = samples[0].GetProperty("transcript").GetString();
            }

            var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
            var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("synthetic_health_false_positive{", StringComparison.Ordinal));
            int? falsePositive = line is null ? null : (int)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            return (health, canary, wer, streaming, falsePositive, heard);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException ||
                                   (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A slow or failed read shows as "?" for this second; the demo goes on.
            return ("?", "?", "-", "?", null, null);
        }
    }

    private static string Describe(JsonElement check)
    {
        if (check.ValueKind != JsonValueKind.Object || check.GetProperty("latest") is not { ValueKind: JsonValueKind.Object } latest)
        {
            return "pending";
        }

        var outcome = latest.GetProperty("outcome").GetString();
        return latest.GetProperty("reason") is { ValueKind: JsonValueKind.String } reason ? $"{outcome} ({reason.GetString()})" : outcome ?? "?";
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
