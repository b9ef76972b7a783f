using System.Text;
using Mono.Cecil;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Architecture;

/// <summary>
/// The folders of Synthetic/ form a one-way graph, read from the compiled assembly: a folder may depend only on
/// folders of strictly lower rank; folders of the same rank do not depend on each other. Namespace
/// <c>Synthetic.X[.Y]</c> is folder X (so Checks/Health is Checks). Types outside a <c>Synthetic.X</c> namespace
/// (the top-level Program, compiler-emitted helpers) belong to no folder and are not checked. Constants and enum
/// values are inlined by the compiler, so a use of only a <c>const</c> leaves no trace in IL and is not seen.
/// </summary>
public sealed class FolderDependencyTests
{
    /// <summary>The rank of every folder. A new folder needs a rank here, chosen deliberately.</summary>
    internal static readonly IReadOnlyDictionary<string, int> Ranks = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["Results"] = 0,
        ["Configuration"] = 1,
        ["Scoring"] = 1,
        ["Audio"] = 1,
        ["Probing"] = 2,
        ["Metrics"] = 3,
        ["Verdicts"] = 3,
        ["Checks"] = 4,
        ["Scheduling"] = 5,
        ["Cluster"] = 6,
        ["Web"] = 6,
        ["Hosting"] = 7,
        ["Cli"] = 8,
    };

    private static readonly Lazy<IReadOnlyList<TypeUse>> Uses = new(ReadUses);

    [Fact]
    public void FolderGraph_CompiledAssembly_NoFolderDependsOnAnEqualOrHigherRank()
    {
        var offending = Uses.Value
            .Select(use => (use, From: Folder(use.From.Namespace), To: Folder(use.To.Namespace)))
            .Where(e => e.From is not null && e.To is not null && e.From != e.To
                && Ranks.TryGetValue(e.From, out var from) && Ranks.TryGetValue(e.To, out var to) && to >= from)
            .GroupBy(e => (e.From!, e.To!))
            .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal)
            .ToList();

        if (offending.Count == 0)
        {
            return;
        }

        var message = new StringBuilder()
            .Append("Folder dependency rule broken: ").Append(offending.Count)
            .AppendLine(" folder edge(s) point to an equal or higher rank.")
            .Append("Allowed: a folder depends only on folders of strictly lower rank. Ranks: ").AppendLine(RankTable())
            .AppendLine();
        foreach (var edge in offending)
        {
            var (from, to) = edge.Key;
            message.Append(from).Append(" (").Append(Ranks[from]).Append(") → ").Append(to).Append(" (").Append(Ranks[to]).AppendLine("):");
            foreach (var pair in edge.GroupBy(e => (From: e.use.From.FullName, To: e.use.To.FullName)).OrderBy(p => p.Key.From, StringComparer.Ordinal).ThenBy(p => p.Key.To, StringComparer.Ordinal))
            {
                var sites = pair.Select(p => p.use.Site).Distinct(StringComparer.Ordinal).ToList();
                message.Append("    ").Append(pair.Key.From).Append(" → ").Append(pair.Key.To)
                    .Append("   [").Append(sites[0]).Append(sites.Count > 1 ? $" (+{sites.Count - 1} more)" : string.Empty).AppendLine("]");
            }
        }

        message.AppendLine()
            .AppendLine("Fix: move the referenced type down to a folder both sides may use, or invert the dependency (an interface")
            .AppendLine("in the lower folder, implemented above it). Change the rank table in FolderDependencyTests only as a")
            .Append("deliberate design decision.");
        Assert.Fail(message.ToString());
    }

    [Fact]
    public void FolderRanks_EveryFolderOnDiskAndEveryNamespace_HasARank()
    {
        var onDisk = Directory.GetDirectories(RepoPaths.Combine("Synthetic"))
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj") && Directory.EnumerateFiles(RepoPaths.Combine("Synthetic", name!), "*.cs", SearchOption.AllDirectories).Any())
            .Select(name => (Folder: name!, Evidence: "directory Synthetic/" + name));
        var inAssembly = ReadModule().Types
            .Where(type => Folder(type.Namespace) is not null)
            .Select(type => (Folder: Folder(type.Namespace)!, Evidence: "namespace " + type.Namespace + " (type " + type.FullName + ")"));

        var unranked = onDisk.Concat(inAssembly)
            .Where(f => !Ranks.ContainsKey(f.Folder))
            .GroupBy(f => f.Folder, StringComparer.Ordinal)
            .Select(g => $"    {g.Key}: {g.First().Evidence}")
            .OrderBy(line => line, StringComparer.Ordinal)
            .ToList();

        Assert.True(unranked.Count == 0,
            "Folder(s) without a rank in FolderDependencyTests.Ranks:\n" + string.Join('\n', unranked) +
            "\nGive each a rank (it may depend only on lower ranks; lower ranks must not depend on it). Ranks today: " + RankTable());
    }

    [Fact]
    public void Collector_CompiledAssembly_SeesKnownDownwardEdges()
    {
        // Guards the test itself: if the walker found nothing, the rule above would pass vacuously.
        var edges = Uses.Value.Select(u => (u.From.FullName, u.To.FullName)).ToHashSet();

        Assert.Contains(("Synthetic.Probing.PhaseRecorder", "Synthetic.Results.PhaseTimings"), edges);
        Assert.Contains(("Synthetic.Probing.ProbeHttpClient", "Synthetic.Probing.TimingStream"), edges);
        // A method group handed to Polly: only an ldftn operand in the body names it.
        Assert.Contains(("Synthetic.Probing.AttemptPipeline", "Synthetic.Probing.FailureClassifier"), edges);
    }

    internal static string? Folder(string? @namespace)
    {
        if (@namespace is null || !@namespace.StartsWith("Synthetic.", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = @namespace["Synthetic.".Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    private static string RankTable() => string.Join("; ", Ranks.GroupBy(r => r.Value).OrderBy(g => g.Key)
        .Select(g => string.Join(", ", g.Select(r => r.Key)) + " " + g.Key));

    private static IReadOnlyList<TypeUse> ReadUses() => new TypeReferenceCollector(ReadModule()).Collect();

    private static ModuleDefinition ReadModule() => ModuleReader.Read(typeof(Synthetic.Results.Outcome).Assembly.Location);
}
