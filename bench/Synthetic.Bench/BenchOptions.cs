using System.Globalization;

namespace Synthetic.Bench;

/// <summary>Command line of <c>all</c>; every duration is derived from <see cref="Quick"/> unless overridden.</summary>
internal sealed class BenchOptions
{
    public static readonly string[] AllScenarios = ["cpu", "accuracy", "scale", "canary", "detect", "cluster", "startup"];

    /// <summary>Scenarios run only when named in --only (long).</summary>
    public static readonly string[] OptionalScenarios = ["soak", "throughput"];

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

    /// <summary>Scenario 1: the probe rates measured (checks × interval), all four unless <c>--cpu-rates</c> picks some.</summary>
    public static readonly CpuRate[] AllCpuRates =
    [
        new(200, TimeSpan.FromSeconds(15)), new(200, TimeSpan.FromSeconds(4)), new(200, TimeSpan.FromSeconds(1)), new(1000, TimeSpan.FromSeconds(1)),
    ];

    public IReadOnlyList<CpuRate> CpuRates { get; init; } = AllCpuRates;

    /// <summary>Scenario 1's experiments and its bare-client reference: health checks at a 1 s interval (= probes per second).</summary>
    public int CpuChecks { get; init; } = 200;

    /// <summary>Warm-up before a window; at least one interval plus a few seconds, so every check has run once (JIT, first connections).</summary>
    public TimeSpan CpuWarmupFor(CpuRate rate) => Max(Quick ? TimeSpan.FromSeconds(6) : TimeSpan.FromSeconds(10), rate.Interval + TimeSpan.FromSeconds(3));

    public TimeSpan CpuWarmup => Quick ? TimeSpan.FromSeconds(6) : TimeSpan.FromSeconds(10);

    /// <summary>The measured window: longer at low rates, where a probe is a few CPU ticks of 10 ms and the machine's noise weighs more.</summary>
    public TimeSpan CpuWindowFor(CpuRate rate) => Quick ? TimeSpan.FromSeconds(15) : rate.PerSecond < 100 ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(30);

    public TimeSpan CpuWindow => Quick ? TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(60);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

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

    /// <summary>Scenario 9: the monitor's steps, health checks at <see cref="ThroughputInterval"/> (offered runs/s = checks / interval).</summary>
    public static readonly int[] DefaultThroughputChecks = [1000, 2000, 4000, 6000, 8000];

    public IReadOnlyList<int> ThroughputChecks { get; init; } = DefaultThroughputChecks;

    public TimeSpan ThroughputInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Scenario 9: blackbox_exporter's closed-loop steps (concurrent clients) at Go's default GOMAXPROCS, and with GOMAXPROCS=1.</summary>
    public static readonly int[] DefaultThroughputClients = [1, 4, 16, 64];

    public IReadOnlyList<int> ThroughputClients { get; init; } = DefaultThroughputClients;

    public IReadOnlyList<int> ThroughputClientsOneProc { get; init; } = [4, 16];

    public TimeSpan ThroughputWarmup => Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(5);

    public TimeSpan ThroughputWindow => Quick ? TimeSpan.FromSeconds(8) : TimeSpan.FromSeconds(20);

    /// <summary>The whole run is cancelled after this (run.sh also has an outer timeout).</summary>
    public TimeSpan HardLimit => (Quick ? TimeSpan.FromMinutes(15) : Experiments ? TimeSpan.FromMinutes(55) : TimeSpan.FromMinutes(40)) +
                                 (Scenarios.Contains("soak") ? SoakDuration + TimeSpan.FromMinutes(2) : TimeSpan.Zero) +
                                 (Scenarios.Contains("throughput") ? TimeSpan.FromMinutes(8) : TimeSpan.Zero);

    /// <summary>The options of <c>all</c> (parsed by <see cref="BenchCommandLine"/>); null, after a message, when they do not fit.</summary>
    public static BenchOptions? Create(string repo, string tmp, string pids, string output, string? app, string? command, bool quick, bool noDetect,
        bool experiments, HashSet<string>? only, TimeSpan? scale, TimeSpan? soak = null, string? cpuRates = null, string? throughputChecks = null,
        string? throughputClients = null)
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

        var rates = AllCpuRates;
        if (cpuRates is not null)
        {
            var wanted = cpuRates.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            rates = [.. AllCpuRates.Where(r => wanted.Contains(r.Key))];
            if (rates.Length != wanted.Length)
            {
                Console.Error.WriteLine($"Synthetic.Bench all: --cpu-rates takes {string.Join(", ", AllCpuRates.Select(r => r.Key))} (probes per second), not '{cpuRates}'");
                return null;
            }
        }

        var checks = ParseCounts("--throughput-checks", throughputChecks);
        var clients = ParseCounts("--throughput-clients", throughputClients);
        if (checks is { Count: 0 } || clients is { Count: 0 })
        {
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
            CpuRates = rates,
            ScaleDuration = scale ?? (quick ? TimeSpan.FromSeconds(60) : TimeSpan.FromMinutes(4)),
            SoakDuration = soak ?? (quick ? TimeSpan.FromMinutes(3) : TimeSpan.FromMinutes(60)),
            ThroughputChecks = (IReadOnlyList<int>?)checks ?? (quick ? [1000, 4000, 8000] : DefaultThroughputChecks),
            ThroughputClients = (IReadOnlyList<int>?)clients ?? (quick ? [4, 16, 64] : DefaultThroughputClients),
            // With explicit clients, GOMAXPROCS=1 runs at the same steps; by default at two of them (it saturates early).
            ThroughputClientsOneProc = clients ?? (quick ? [16] : [4, 16]),
        };
    }

    /// <summary>A comma-separated list of positive counts; null when not given, empty (after a message) when bad.</summary>
    private static List<int>? ParseCounts(string option, string? text)
    {
        if (text is null)
        {
            return null;
        }

        var counts = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0 || count > 20000)
            {
                Console.Error.WriteLine($"Synthetic.Bench all: {option} takes positive counts up to 20000, comma-separated, not '{text}'");
                return [];
            }

            counts.Add(count);
        }

        if (counts.Count == 0)
        {
            Console.Error.WriteLine($"Synthetic.Bench all: {option} is empty");
        }

        return counts;
    }
}

/// <summary>One load of scenario 1: <paramref name="Checks"/> health checks every <paramref name="Interval"/>.</summary>
internal sealed record CpuRate(int Checks, TimeSpan Interval)
{
    public double PerSecond => Checks / Interval.TotalSeconds;

    /// <summary>What <c>--cpu-rates</c> calls it: probes per second, rounded (13, 50, 200, 1000).</summary>
    public string Key => Math.Round(PerSecond).ToString(CultureInfo.InvariantCulture);

    public string Label => $"{PerSecond.ToString("0.#", CultureInfo.InvariantCulture)}/s ({Checks} × {Interval.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s)";
}
