using System.Runtime.InteropServices;
using Synthetic.Bench;

// The benchmark driver. bench/run.sh builds it and runs `all`; the other verbs are helper processes the
// driver starts itself (so their CPU is measured apart from the driver's).
// As the shipped monitor does (Synthetic/Program.cs), before any socket is opened.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

var verb = args.Length > 0 ? args[0] : "help";
var rest = args.Length > 0 ? args[1..] : [];
switch (verb)
{
    case "all":
        return await RunAllAsync(rest);
    case "delay-server":
        return await DelayServer.RunAsync(rest);
    case "loadgen":
        return await LoadGen.RunAsync(rest);
    case "accuracy-probe":
        return await AccuracyProbe.RunAsync(rest);
    case "monitor-variant":
        return await MonitorVariant.RunAsync(rest);
    default:
        Console.WriteLine("""
            usage: Synthetic.Bench all --repo DIR --tmp DIR --pids FILE --out FILE [--app DIR] [--quick] [--no-detect] [--only LIST]
                                       [--command TEXT] [--scale-seconds N]
                   Synthetic.Bench delay-server --port N          (helper: answers after ?d=MS, logs true handling times)
                   Synthetic.Bench loadgen --url URL --rate R ...  (helper: bare HttpClient baseline, reports its own CPU)
                   Synthetic.Bench accuracy-probe --url URL --count N (helper: the monitor's HealthProbe, one run after another)
            Use bench/run.sh: it installs what is missing, builds, and cleans up.
            """);
        return verb == "help" ? 0 : 2;
}

static async Task<int> RunAllAsync(string[] args)
{
    var options = BenchOptions.Parse(args);
    if (options is null)
    {
        return 2;
    }

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
