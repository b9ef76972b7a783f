using Synthetic.Checks.Transcription.Dialects;
using Synthetic.Configuration;

namespace Synthetic.Checks.Transcription;

/// <summary>The registry of batch dialects: adding one is a file in Dialects/ and a line here.</summary>
internal static class TranscriptionDialects
{
    public static IReadOnlyList<ITranscriptionDialect> All { get; } =
        [new SmallestListenDialect(), new SmallestGetTextDialect(), new PulseDialect(), new OpenAiDialect()];

    private static readonly Dictionary<string, ITranscriptionDialect> ByName = All.ToDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>Names and default paths, for the configuration to validate and resolve <c>Canary:Dialect</c> and <c>Canary:Path</c>.</summary>
    public static DialectCatalog Catalog { get; } = new(All.ToDictionary(d => d.Name, d => d.DefaultPath, StringComparer.Ordinal));

    public static ITranscriptionDialect Get(string name) =>
        ByName.TryGetValue(name, out var dialect) ? dialect : throw new ArgumentException($"unknown transcription dialect '{name}'", nameof(name));
}
