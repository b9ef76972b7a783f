using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synthetic.StandIn;

/// <summary>Bodies are built as <see cref="JsonObject"/>s so every field name is exactly the vendor's.</summary>
internal static class JsonResults
{
    // Transcripts read as sent ("don't", not "don\u0027t"); these bodies are never embedded in HTML.
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IResult Json(int statusCode, JsonNode body) =>
        Results.Text(body.ToJsonString(Options), "application/json", Encoding.UTF8, statusCode);
}
