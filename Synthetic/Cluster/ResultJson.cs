using System.Text.Json;
using System.Text.Json.Serialization;
using Synthetic.Results;

namespace Synthetic.Cluster;

/// <summary>A result as the JSON stored in <c>synthetic_latest</c> (the same fields /status shows; no secrets).</summary>
internal static class ResultJson
{
    public static string Serialize(ProbeResult result) => JsonSerializer.Serialize(result, ResultJsonContext.Default.ProbeResult);

    public static ProbeResult? Deserialize(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize(json, ResultJsonContext.Default.ProbeResult);

    public static char Letter(Outcome outcome) => outcome switch
    {
        Outcome.Success => 's',
        Outcome.Degraded => 'd',
        _ => 'f',
    };

    public static IEnumerable<Outcome> History(string letters) =>
        letters.Select(c => c switch { 's' => Outcome.Success, 'd' => Outcome.Degraded, _ => Outcome.Failure });
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ProbeResult))]
internal sealed partial class ResultJsonContext : JsonSerializerContext;
