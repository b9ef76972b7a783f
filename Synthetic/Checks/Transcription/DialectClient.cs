using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Synthetic.Audio;
using Synthetic.Configuration;
using Synthetic.Probing;
using Synthetic.Results;

namespace Synthetic.Checks.Transcription;

/// <summary>What a transcription answer said, in any dialect.</summary>
internal sealed record TranscriptionAnswer(string? Text, double? Confidence, double? Duration, string? RequestId);

/// <summary>
/// Builds the request of one dialect and reads its answer. Request bodies are prepared once per clip
/// (byte arrays, so a retry can re-send them) and never touch the disk at run time.
/// </summary>
internal sealed class DialectClient
{
    private const string Boundary = "synthetic-canary-4f1c2b";

    private readonly string _dialect;
    private readonly Uri _url;
    private readonly CanaryOptions _options;
    private readonly string? _licenseKey;
    private readonly Dictionary<string, byte[]> _bodies = new(StringComparer.Ordinal);

    public DialectClient(string dialect, Uri baseUrl, CanaryOptions options, string? licenseKey, IEnumerable<Clip> clips)
    {
        _dialect = dialect;
        _options = options;
        _licenseKey = licenseKey;
        var path = (options.Path ?? Dialects.DefaultPath(dialect)).TrimStart('/');
        var query = dialect switch
        {
            Dialects.SmallestGetText => $"?model=lightning&language={Uri.EscapeDataString(options.Language)}&word_timestamps=false",
            Dialects.Pulse => $"?language={Uri.EscapeDataString(options.Language)}&word_timestamps=false",
            _ => string.Empty,
        };
        _url = new Uri(baseUrl, path + query);
        foreach (var clip in clips)
        {
            _bodies[clip.Id] = dialect switch
            {
                Dialects.SmallestListen => Multipart(("audio", clip), ("language", options.Language), ("punctuate", "true")),
                Dialects.OpenAi => Multipart(("file", clip), ("model", options.Model), ("language", options.Language), ("response_format", "json")),
                _ => clip.Bytes,
            };
        }
    }

    public Uri Url => _url;

    public HttpRequestMessage CreateRequest(Clip clip, string requestId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _url);
        var content = new ByteArrayContent(_bodies[clip.Id]);
        content.Headers.ContentType = _dialect switch
        {
            Dialects.SmallestListen or Dialects.OpenAi => MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}"),
            Dialects.Pulse => new MediaTypeHeaderValue("audio/wav"),
            _ => new MediaTypeHeaderValue("application/octet-stream"),
        };
        request.Content = content;
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.TryAddWithoutValidation("X-Request-ID", requestId);
        if (!string.IsNullOrEmpty(_licenseKey))
        {
            var scheme = _dialect is Dialects.Pulse or Dialects.OpenAi ? "Bearer" : "Token";
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, _licenseKey);
        }

        return request;
    }

    /// <summary>Reads a 200 answer; null when the body is not the dialect's JSON shape.</summary>
    public TranscriptionAnswer? ReadAnswer(HttpExchange exchange)
    {
        try
        {
            using var document = JsonDocument.Parse(exchange.Body, new JsonDocumentOptions { MaxDepth = 32 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var headerId = exchange.Headers.TryGetValues("x-request-id", out var ids) ? ids.FirstOrDefault() : null;
            return _dialect switch
            {
                Dialects.SmallestListen => root.TryGetProperty("text", out var text) && text.ValueKind is JsonValueKind.String or JsonValueKind.Null
                    ? new TranscriptionAnswer(text.GetString() ?? string.Empty, Number(root, "confidence"), Number(root, "duration"),
                        String(root, "request_id") ?? headerId)
                    : null,
                Dialects.OpenAi => root.TryGetProperty("text", out var openAiText) && openAiText.ValueKind is JsonValueKind.String or JsonValueKind.Null
                    ? new TranscriptionAnswer(openAiText.GetString() ?? string.Empty, null, Number(root, "duration"), headerId)
                    : null,
                _ => root.TryGetProperty("transcription", out var transcription) && transcription.ValueKind is JsonValueKind.String or JsonValueKind.Null
                    ? new TranscriptionAnswer(transcription.GetString() ?? string.Empty, Number(root, "confidence"),
                        root.TryGetProperty("metadata", out var metadata) ? Number(metadata, "duration") : null, headerId)
                    : null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

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

    private static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.Number => value.GetDouble(),
                JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => null,
            }
            : null;

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static byte[] Multipart(params (string Name, object Value)[] parts)
    {
        using var body = new MemoryStream();
        foreach (var (name, value) in parts)
        {
            var header = value is Clip clip
                ? $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{clip.File}\"\r\nContent-Type: audio/wav\r\n\r\n"
                : $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n";
            body.Write(Encoding.UTF8.GetBytes(header));
            body.Write(value is Clip c ? c.Bytes : Encoding.UTF8.GetBytes((string)value));
            body.Write("\r\n"u8);
        }

        body.Write(Encoding.UTF8.GetBytes($"--{Boundary}--\r\n"));
        return body.ToArray();
    }
}
