using System.Net.Http.Headers;
using System.Text.Json;
using Synthetic.Audio;
using Synthetic.Configuration;
using Synthetic.Probing;

namespace Synthetic.Checks.Transcription;

/// <summary>
/// Builds one dialect's requests and reads its answers. Request bodies are prepared once per clip (byte arrays, so a
/// retry can re-send them) and never touch the disk at run time.
/// </summary>
internal sealed class DialectClient
{
    private readonly ITranscriptionDialect _dialect;
    private readonly string? _licenseKey;
    private readonly Dictionary<string, (byte[] Body, MediaTypeHeaderValue ContentType)> _bodies = new(StringComparer.Ordinal);

    public DialectClient(ITranscriptionDialect dialect, Uri baseUrl, CanaryPlan plan, string? licenseKey, IEnumerable<Clip> clips)
    {
        _dialect = dialect;
        _licenseKey = licenseKey;
        Url = new Uri(baseUrl, plan.Path.TrimStart('/') + dialect.Query(plan));
        foreach (var clip in clips)
        {
            _bodies[clip.Id] = dialect.Body(clip, plan);
        }
    }

    public Uri Url { get; }

    public string Dialect => _dialect.Name;

    public HttpRequestMessage CreateRequest(Clip clip, string requestId)
    {
        var (body, contentType) = _bodies[clip.Id];
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = contentType;
        var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.TryAddWithoutValidation("X-Request-ID", requestId);
        if (!string.IsNullOrEmpty(_licenseKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(_dialect.AuthScheme, _licenseKey);
        }

        return request;
    }

    /// <summary>Reads a 200 answer; null when the body is not the dialect's JSON shape.</summary>
    public TranscriptionAnswer? ReadAnswer(HttpExchange exchange)
    {
        try
        {
            using var document = JsonDocument.Parse(exchange.Body, new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var headerId = exchange.Headers.TryGetValues("x-request-id", out var ids) ? ids.FirstOrDefault() : null;
            return _dialect.Read(document.RootElement, headerId);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
