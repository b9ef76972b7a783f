using System.Globalization;

namespace Synthetic.Bench;

/// <summary>Command line of <c>all</c>; every duration is derived from <see cref="Quick"/> unless overridden.</summary>
internal sealed class BenchOptions
{
    public static readonly string[] AllScenarios = ["cpu", "accuracy", "scale", "canary", "detect", "cluster", "startup"];

    /// <summary>Scenarios run only when named in --only (long).</summary>
    public static readonly string[] OptionalScenarios = ["soak"];

    /// <summary>Soak scenario: how long it measures (--soak-minutes, default 60), in blocks of <see cref="SoakBlock"/>.</summary>
    public TimeSpan SoakDuration { get; init; } = TimeSpan.FromMinutes(60);

    public TimeSpan SoakBlock => SoakDuration >= TimeSpan.FromMinutes(30) ? TimeSpan.FromMinutes(10) : TimeSpan.FromMinutes(1);

    public required string Repo { get; init; }

    public required string Tmp { get; init; }

    public required string PidFile { get; init; }

    public required string Output { get; init; }

    /// <summary>Folder with the Release build of Synthetic (and the stand-in), copied by run.sh so a concurrent build cannot change it mid-run.</summary>
    public required string App { get; init; }

    public string Command { get; init; } = "bash bench/run.sh";

    public bool Quick { get; init; }

    /// <summary>Scenario 1 also measures variants of the monitor (thread-pool spinning off, Quartz batching, no Quartz).</summary>
    public bool Experiments { get; init; }

    public HashSet<string> Scenarios { get; init; } = [.. AllScenarios];

    /// <summary>Scenario 1: health checks at a 1 s interval (= probes per second), warm-up and measured window.</summary>
    public int CpuChecks { get; init; } = 200;

    public TimeSpan CpuWarmup => Quick ? TimeSpan.FromSeconds(6) : TimeSpan.FromSeconds(10);

    public TimeSpan CpuWindow => Quick ? TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(60);

    /// <summary>Scenario 2: probes per delay and tool (after <see cref="AccuracyWarmup"/> discarded ones).</summary>
    public int AccuracySamples => Quick ? 60 : 300;

    public int AccuracyWarmup { get; init; } = 20;

    public int[] AccuracyDelaysMs { get; } = [50, 200];

    /// <summary>Scenario 3: health checks at a 15 s interval for <see cref="ScaleDuration"/> (warm-up included).</summary>
    public int ScaleChecks { get; init; } = 2000;

    public TimeSpan ScaleInterval { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan ScaleDuration { get; init; } = TimeSpan.FromMinutes(4);

    public TimeSpan ScaleWarmup => Quick ? TimeSpan.FromSeconds(20) : TimeSpan.FromSeconds(30);

    /// <summary>Cluster scenario: the scale scenario's checks on one node, then on two clustered nodes, each for this long (warm-up included).</summary>
    public TimeSpan ClusterDuration => Quick ? TimeSpan.FromSeconds(60) : TimeSpan.FromMinutes(2);

    /// <summary>Scenario 4: canaries at a 1 s interval against the stand-in.</summary>
    public int CanaryTargets { get; init; } = 20;

    public TimeSpan CanaryWarmup => Quick ? TimeSpan.FromSeconds(6) : TimeSpan.FromSeconds(10);

    public TimeSpan CanaryWindow => Quick ? TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(60);

    /// <summary>The whole run is cancelled after this (run.sh also has an outer timeout).</summary>
    public TimeSpan HardLimit => (Quick ? TimeSpan.FromMinutes(10) : Experiments ? TimeSpan.FromMinutes(40) : TimeSpan.FromMinutes(25)) +
                                 (Scenarios.Contains("soak") ? SoakDuration + TimeSpan.FromMinutes(2) : TimeSpan.Zero);

    /// <summary>The options of <c>all</c> (parsed by <see cref="BenchCommandLine"/>); null, after a message, when they do not fit.</summary>
    public static BenchOptions? Create(string repo, string tmp, string pids, string output, string? app, string? command, bool quick, bool noDetect,
        bool experiments, HashSet<string>? only, TimeSpan? scale, TimeSpan? soak = null)
    {
        app ??= Path.Combine(repo, "Synthetic", "bin", "Release", "net10.0");
        if (!File.Exists(Path.Combine(app, "Synthetic.dll")))
        {
            Console.Error.WriteLine($"Synthetic.Bench all: no Synthetic.dll in {app} (build Synthetic in Release first).");
            return null;
        }

        var scenarios = only ?? [.. AllScenarios];
        var unknown = scenarios.Where(s => !AllScenarios.Contains(s) && !OptionalScenarios.Contains(s)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"Synthetic.Bench all: unknown scenario(s) {string.Join(", ", unknown)}; known: {string.Join(", ", AllScenarios.Concat(OptionalScenarios))}");
            return null;
        }

        if (noDetect)
        {
            scenarios.Remove("detect");
        }

        return new BenchOptions
        {
            Repo = Path.GetFullPath(repo),
            Tmp = Path.GetFullPath(tmp),
            PidFile = Path.GetFullPath(pids),
            Output = Path.GetFullPath(output),
            App = Path.GetFullPath(app),
            Command = command ?? "bash bench/run.sh",
            Quick = quick,
            Experiments = experiments,
            Scenarios = scenarios,
            ScaleDuration = scale ?? (quick ? TimeSpan.FromSeconds(60) : TimeSpan.FromMinutes(4)),
            SoakDuration = soak ?? (quick ? TimeSpan.FromMinutes(3) : TimeSpan.FromMinutes(60)),
        };
    }
}
