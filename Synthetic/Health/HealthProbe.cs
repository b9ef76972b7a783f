using System.Globalization;
using System.Text.Json;
using Synthetic.Configuration;
using Synthetic.Probing;

namespace Synthetic.Health;

/// <summary>
/// GETs a health endpoint and decides success from the status code and the parsed JSON value (or, for
/// plain-text dialects such as /healthz, a configured substring). Keyword matching on the raw body is
/// never used: "unhealthy" contains "healthy".
/// </summary>
internal sealed class HealthProbe : ICheck, IDisposable
{
    internal const int MaxBodyBytes = 1024 * 1024;

    private readonly Uri _url;
    private readonly HealthOptions _options;
    private readonly bool _detailed;
    private readonly ProbeHttpClient _http;
    private readonly TimeProvider _time;
    private readonly Redactor _redactor;
    private readonly Polly.ResiliencePipeline _pipeline;

    public HealthProbe(string target, string probe, Uri url, HealthOptions options, bool detailed, bool reuseConnections,
        TimeProvider time, Redactor redactor, TlsOptions? tls = null)
    {
        Target = target;
        Probe = probe;
        _url = url;
        _options = options;
        _detailed = detailed;
        _time = time;
        _redactor = redactor;
        _http = new ProbeHttpClient(time, reuseConnections, tls);
        _pipeline = AttemptPipeline.Build(options.Timeout, options.Timeout, options.Retries, time);
    }

    public string Target { get; }

    public string Probe { get; }

    public TimeSpan Interval => _options.Interval;

    public int Retries => _options.Retries;

    public Uri Url => _url;

    public async Task<ProbeResult> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        var start = _time.GetTimestamp();
        var attempts = 0;
        try
        {
            var exchange = await _pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    using var request = new HttpRequestMessage(HttpMethod.Get, _url);
                    request.Headers.Accept.ParseAdd("application/json");
                    return await _http.ExchangeAsync(request, MaxBodyBytes, token);
                },
                cancellationToken);
            var elapsed = _time.GetElapsedTime(start);
            var verdict = Evaluate(exchange);
            return new ProbeResult(Target, Probe, verdict.Outcome, verdict.Reason, _redactor.Apply(verdict.Detail), startedAt, elapsed,
                attempts, exchange.StatusCode, _http.LastPhases)
            {
                Health = verdict.Details,
                Tls = _http.LastTls,
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var (reason, detail) = FailureClassifier.Classify(ex);
            return new ProbeResult(Target, Probe, Outcome.Failure, reason, _redactor.Apply(detail), startedAt, _time.GetElapsedTime(start),
                attempts, null, _http.LastPhases)
            {
                Tls = _http.LastTls,
            };
        }
    }

    internal Evaluation Evaluate(HttpExchange exchange)
    {
        var expect = _options.Expect;
        var status = exchange.StatusCode;
        var statusOk = status == expect.Status;
        if (exchange.Truncated)
        {
            return Fail(Reasons.InvalidBody, $"{status}: body larger than {MaxBodyBytes / 1024} KiB, cut off");
        }

        if (string.IsNullOrWhiteSpace(expect.JsonPath))
        {
            var text = System.Text.Encoding.UTF8.GetString(exchange.Body);
            if (!statusOk)
            {
                return Fail(StatusReason(status), $"{status}: {TextSnippet.Of(text)}");
            }

            return text.Contains(expect.Contains!, StringComparison.Ordinal)
                ? new Evaluation(Outcome.Success, null, $"{status}: body contains '{expect.Contains}'", null)
                : Fail(exchange.Body.Length == 0 ? Reasons.InvalidBody : Reasons.Unhealthy, $"{status}: body lacks '{expect.Contains}': {TextSnippet.Of(text)}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(exchange.Body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            return Fail(statusOk ? Reasons.InvalidBody : StatusReason(status), $"{status}: not JSON: {TextSnippet.Of(exchange.Body, 80)}");
        }

        using (document)
        {
            var details = _detailed ? ReadDetails(document.RootElement) : null;
            var value = Find(document.RootElement, expect.JsonPath!);
            var valueText = value is null ? null : ValueText(value.Value);
            var healthyValue = valueText is not null && string.Equals(valueText, expect.EqualsValue, StringComparison.OrdinalIgnoreCase);
            var serverReason = Find(document.RootElement, "reason") is { ValueKind: JsonValueKind.String } r ? " (" + TextSnippet.Of(r.GetString(), 120) + ")" : string.Empty;

            if (!statusOk)
            {
                var reason = valueText is not null && !healthyValue ? Reasons.Unhealthy : StatusReason(status);
                return Fail(reason, $"{status}: {expect.JsonPath}={valueText ?? "(missing)"}{serverReason}", details);
            }

            if (valueText is null)
            {
                return Fail(Reasons.InvalidBody, $"{status}: no '{expect.JsonPath}' value in the body", details);
            }

            if (!healthyValue)
            {
                return Fail(Reasons.Unhealthy, $"{status}: {expect.JsonPath}={TextSnippet.Of(valueText, 60)}{serverReason}", details);
            }

            if (details is not null)
            {
                var down = details.Components.Where(c => !c.Value).Select(c => c.Key).ToList();
                if (down.Count > 0)
                {
                    return Fail(Reasons.Unhealthy, $"{status}: components not healthy: {string.Join(", ", down)}", details);
                }
            }

            return new Evaluation(Outcome.Success, null, $"{status}: {expect.JsonPath}={valueText}", details);
        }
    }

    private static string StatusReason(int status) => status < 400 ? Reasons.InvalidBody : Reasons.ForStatus(status);

    private HealthDetails ReadDetails(JsonElement root)
    {
        var components = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("components", out var element) && element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject().Take(64))
            {
                // Component names become label values: keep only safe names.
                if (!IsSafeName(property.Name))
                {
                    continue;
                }

                var value = property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("status", out var nested)
                    ? nested
                    : property.Value;
                components[property.Name] = string.Equals(ValueText(value), _options.Expect.EqualsValue ?? "healthy", StringComparison.OrdinalIgnoreCase);
            }
        }

        double? uptime = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("uptime_seconds", out var u) && u.ValueKind == JsonValueKind.Number
            ? u.GetDouble()
            : null;
        string? version = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
        if (version is not null && (version.Length > 64 || !version.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '+')))
        {
            version = "invalid";
        }

        return new HealthDetails(components, uptime, version);
    }

    private static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static JsonElement? Find(JsonElement root, string path)
    {
        var current = root;
        foreach (var segment in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static string? ValueText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    private static Evaluation Fail(string reason, string detail, HealthDetails? details = null) =>
        new(Outcome.Failure, reason, detail, details);

    public void Dispose() => _http.Dispose();

    internal sealed record Evaluation(Outcome Outcome, string? Reason, string Detail, HealthDetails? Details);
}
