using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.InteropServices;

namespace Synthetic.Bench;

/// <summary>
/// The driver's command line: <c>all</c> (what bench/run.sh runs) and the helper verbs the driver starts as processes
/// of their own. <c>--help</c> on each lists its options; a bad or unknown option exits 2 with a message.
/// </summary>
internal static class BenchCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("The Synthetic benchmark driver. Use bench/run.sh: it installs what is missing, builds, and cleans up.")
        {
            AllCommand(), DelayServerCommand(), LoadGenCommand(), AccuracyProbeCommand(), MonitorVariantCommand(),
        };
        root.SetAction(parseResult => new HelpAction().Invoke(parseResult));
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await Console.Error.WriteLineAsync($"Synthetic.Bench: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'Synthetic.Bench --help' (or a verb with --help) for the options.");
            return 2;
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    private static Command AllCommand()
    {
        Option<string> Required(string name, string description) =>
            new(name) { Description = description + " (bench/run.sh passes it).", Required = true, HelpName = "PATH" };
        var repo = Required("--repo", "The repository root");
        var tmp = Required("--tmp", "A scratch folder");
        var pids = Required("--pids", "The pid file of the helper processes");
        var output = Required("--out", "The results file to write");
        var app = new Option<string>("--app") { Description = "The Release build of Synthetic to measure (default: REPO/Synthetic/bin/Release/net10.0).", HelpName = "DIR" };
        var quick = new Option<bool>("--quick") { Description = "Short windows (a smoke run, not for the README)." };
        var noDetect = new Option<bool>("--no-detect") { Description = "Skip the detection scenario (Prometheus and Alertmanager)." };
        var experiments = new Option<bool>("--experiments") { Description = "Also measure variants of the monitor in scenario 1." };
        var only = new Option<string>("--only") { Description = $"Comma-separated scenarios to run: {string.Join(", ", BenchOptions.AllScenarios)} (default: all of them), or soak, throughput (not in the default set).", HelpName = "LIST" };
        var command = new Option<string>("--command") { Description = "The command line recorded in the results (default: bash bench/run.sh).", HelpName = "TEXT" };
        var scale = new Option<int?>("--scale-seconds") { Description = "Length of the scale scenario, in seconds.", HelpName = "N" };
        var soak = new Option<int?>("--soak-minutes") { Description = "Length of the soak scenario (--only soak), in minutes (default 60).", HelpName = "N" };
        var cpuRates = new Option<string>("--cpu-rates")
        {
            Description = $"Scenario 1: the probe rates to measure, comma-separated, of {string.Join(", ", BenchOptions.AllCpuRates.Select(r => r.Key))} (default: all).",
            HelpName = "LIST",
        };
        var throughputChecks = new Option<string>("--throughput-checks")
        {
            Description = "Scenario 9 (throughput): the monitor's steps, health checks at 1 s, comma-separated (default: 1000,2000,4000,6000,8000).",
            HelpName = "LIST",
        };
        var throughputClients = new Option<string>("--throughput-clients")
        {
            Description = "Scenario 9 (throughput): blackbox_exporter's closed-loop steps, concurrent clients, comma-separated (default: 1,4,16,64; GOMAXPROCS=1 at 4,16).",
            HelpName = "LIST",
        };
        var all = new Command("all", "Run the benchmark scenarios and write the results.")
        {
            repo, tmp, pids, output, app, quick, noDetect, experiments, only, command, scale, soak, cpuRates, throughputChecks, throughputClients,
        };
        all.SetAction(async parseResult =>
        {
            HashSet<string>? scenarios = parseResult.GetValue(only) is { } list
                ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
                : null;
            var options = BenchOptions.Create(parseResult.GetRequiredValue(repo), parseResult.GetRequiredValue(tmp), parseResult.GetRequiredValue(pids),
                parseResult.GetRequiredValue(output), parseResult.GetValue(app), parseResult.GetValue(command), parseResult.GetValue(quick),
                parseResult.GetValue(noDetect), parseResult.GetValue(experiments), scenarios,
                parseResult.GetValue(scale) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                parseResult.GetValue(soak) is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
                parseResult.GetValue(cpuRates), parseResult.GetValue(throughputChecks), parseResult.GetValue(throughputClients));
            return options is null ? 2 : await RunAllAsync(options);
        });
        return all;
    }

    private static async Task<int> RunAllAsync(BenchOptions options)
    {
        await using var context = new BenchContext(options);
        using var cancel = new CancellationTokenSource(options.HardLimit);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            cancel.Cancel();
        });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            cancel.Cancel();
        });
        return await Runner.RunAsync(context, cancel.Token);
    }

    private static Command DelayServerCommand()
    {
        var port = new Option<int>("--port") { Description = "The 127.0.0.1 port to listen on (0: any free port, printed as READY PORT).", HelpName = "N" };
        var maxSeconds = new Option<int>("--max-seconds") { Description = "Exit after this many seconds.", HelpName = "N", DefaultValueFactory = _ => 900 };
        var command = new Command("delay-server", "Helper: answers GET /health?d=MS after MS ms and logs the true handling times.") { port, maxSeconds };
        command.SetAction(parseResult => DelayServer.RunAsync(parseResult.GetValue(port), parseResult.GetValue(maxSeconds)));
        return command;
    }

    private static Command LoadGenCommand()
    {
        var url = new Option<string>("--url") { Description = "The URL to send to.", HelpName = "URL", DefaultValueFactory = _ => "http://127.0.0.1:80/health" };
        var kind = new Option<string>("--kind") { Description = "health (GET), probe (the monitor's HealthProbe, no scheduler) or canary (POST a clip).", HelpName = "KIND", DefaultValueFactory = _ => "health" };
        kind.AcceptOnlyFromAmong("health", "canary", "probe");
        var fixtures = new Option<string>("--fixtures") { Description = "The fixtures/audio folder (canary).", HelpName = "DIR", DefaultValueFactory = _ => "." };
        var rate = new Option<double>("--rate") { Description = "Requests per second.", HelpName = "R", DefaultValueFactory = _ => 10 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds before the measured window.", HelpName = "S", DefaultValueFactory = _ => 5 };
        var window = new Option<double>("--window") { Description = "Seconds measured.", HelpName = "S", DefaultValueFactory = _ => 10 };
        var command = new Command("loadgen", "Helper: the bare .NET HTTP stack at a fixed rate, reporting its own CPU.") { url, kind, fixtures, rate, warmup, window };
        command.SetAction(parseResult => LoadGen.RunAsync(parseResult.GetRequiredValue(url), parseResult.GetRequiredValue(kind), parseResult.GetRequiredValue(fixtures),
            parseResult.GetValue(rate), parseResult.GetValue(warmup), parseResult.GetValue(window)));
        return command;
    }

    private static Command AccuracyProbeCommand()
    {
        var url = new Option<Uri>("--url")
        {
            Description = "The URL to probe.",
            HelpName = "URL",
            Required = true,
            CustomParser = result =>
            {
                if (result.Tokens.Count > 0 && Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out var uri))
                {
                    return uri;
                }

                result.AddError("--url: an absolute URL is required.");
                return null;
            },
        };
        var count = new Option<int>("--count") { Description = "How many probes, one after another.", HelpName = "N", Required = true };
        count.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() <= 0)
            {
                result.AddError("--count: N must be positive.");
            }
        });
        var raw = new Option<bool>("--raw") { Description = "The floor instead: a blocking socket, no HTTP library, no async." };
        var command = new Command("accuracy-probe", "Helper: the monitor's HealthProbe against one URL, one run after another.") { url, count, raw };
        command.SetAction(parseResult => AccuracyProbe.RunAsync(parseResult.GetRequiredValue(url), parseResult.GetValue(count), parseResult.GetValue(raw)));
        return command;
    }

    private static Command MonitorVariantCommand()
    {
        var config = new Option<string>("--config") { Description = "The monitor's configuration file.", HelpName = "FILE", Required = true };
        var scheduler = new Option<string>("--scheduler") { Description = "quartz (control) or timers (one Task.Delay loop per check).", HelpName = "NAME", DefaultValueFactory = _ => "quartz" };
        scheduler.AcceptOnlyFromAmong("quartz", "timers");
        var batch = new Option<int?>("--quartz-batch") { Description = "Quartz: triggers acquired and fired per scheduler wake-up.", HelpName = "N" };
        var windowMs = new Option<int>("--quartz-window-ms") { Description = "Quartz: how far ahead triggers may fire, in ms.", HelpName = "MS" };
        var command = new Command("monitor-variant", "Helper (--experiments): the real monitor with one part swapped.") { config, scheduler, batch, windowMs };
        command.SetAction(parseResult => MonitorVariant.RunAsync(parseResult.GetRequiredValue(config), parseResult.GetRequiredValue(scheduler),
            parseResult.GetValue(batch), parseResult.GetValue(windowMs)));
        return command;
    }
}
