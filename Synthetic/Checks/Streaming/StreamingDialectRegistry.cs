using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using Synthetic.Configuration;

namespace Synthetic.Checks.Streaming;

/// <summary>The streaming dialects by configuration name (<see cref="StreamingDialects"/>).</summary>
internal static class StreamingDialectRegistry
{
    private static readonly FrozenDictionary<string, IStreamingDialect> ByName = new IStreamingDialect[]
    {
        new SmallestStreamDialect(), new PulseLiveDialect(), new DeepgramDialect(), new OpenAiRealtimeDialect(),
    }.ToFrozenDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>Transcript text kept per stream: a server that floods segments cannot grow it further.</summary>
    public const int MaxTextChars = 64 * 1024;

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static IStreamingDialect Get(string name) =>
        ByName.TryGetValue(name, out var dialect) ? dialect : throw new ArgumentException($"unknown streaming dialect '{name}'", nameof(name));

    /// <summary>A JSON text message, e.g. <c>{"type":"finalize"}</c>.</summary>
    internal static string TypeMessage(string type) => JsonSerializer.Serialize(new Dictionary<string, string> { ["type"] = type });

    internal static StreamFrame Text(string json) => new(Encoding.UTF8.GetBytes(json), System.Net.WebSockets.WebSocketMessageType.Text);

    /// <summary>The string property <paramref name="name"/> of an object, or null.</summary>
    internal static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    internal static bool Bool(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
