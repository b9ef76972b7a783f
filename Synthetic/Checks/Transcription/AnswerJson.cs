using System.Globalization;
using System.Text.Json;
using Synthetic.Probing;

namespace Synthetic.Checks.Transcription;

/// <summary>Reading the JSON of transcription answers and errors, whatever the dialect.</summary>
internal static class AnswerJson
{
    public static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.Number => value.GetDouble(),
                JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => null,
            }
            : null;

    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>The text of a string (or null) property: null when the property is missing or of another type.</summary>
    public static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var text) && text.ValueKind is JsonValueKind.String or JsonValueKind.Null ? text.GetString() ?? string.Empty : null;

    /// <summary>A server asking us to back off: <c>retry_after</c> in the JSON body (documented) or a Retry-After header.</summary>
    public static TimeSpan? RetryAfter(HttpExchange exchange)
    {
        double? seconds = null;
        try
        {
            using var document = JsonDocument.Parse(exchange.Body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                seconds = Number(document.RootElement, "retry_after");
            }
        }
        catch (JsonException)
        {
            // Not JSON: the header may still say.
        }

        if (seconds is null && exchange.Headers.RetryAfter?.Delta is { } delta)
        {
            seconds = delta.TotalSeconds;
        }

        return seconds is > 0 ? TimeSpan.FromSeconds(Math.Min(seconds.Value, 3600)) : null;
    }

    /// <summary>The error text of a non-200 answer, for the detail string.</summary>
    public static string ErrorText(HttpExchange exchange)
    {
        if (exchange.Body.Length == 0)
        {
            return "(empty body)";
        }

        try
        {
            using var document = JsonDocument.Parse(exchange.Body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var code = String(root, "code");
                var message = String(root, "error") ?? String(root, "message") ??
                    (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? String(error, "message") : null);
                return TextSnippet.Of(code is null ? message : $"{code}: {message}", 120);
            }
        }
        catch (JsonException)
        {
            // Fall through to the raw excerpt.
        }

        return TextSnippet.Of(exchange.Body, 80);
    }
}
