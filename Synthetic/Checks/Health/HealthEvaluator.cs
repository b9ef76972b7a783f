using System.Text.Json;
using Synthetic.Configuration;
using Synthetic.Probing;
using Synthetic.Results;

namespace Synthetic.Checks.Health;

/// <summary>
/// Decides a health answer from the status code and the parsed JSON value (or, for plain-text dialects such as
/// /healthz, a configured substring). Keyword matching on the raw body is never used: "unhealthy" contains "healthy".
/// </summary>
internal static class HealthEvaluator
{
    public static Evaluation Evaluate(HttpExchange exchange, ExpectPlan expect, bool detailed)
    {
        var status = exchange.StatusCode;
        var statusOk = status == expect.Status;
        if (exchange.Truncated)
        {
            return Fail(Reasons.InvalidBody, $"{status}: body larger than {HealthProbe.MaxBodyBytes / 1024} KiB, cut off");
        }

        if (!statusOk && HttpRedirect.Describe(exchange) is { } redirect)
        {
            return Fail(Reasons.Http3xx, redirect);
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
            var details = detailed ? ReadDetails(document.RootElement, expect) : null;
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

    private static string StatusReason(int status) => Reasons.ForStatus(status);

    private static HealthDetails ReadDetails(JsonElement root, ExpectPlan expect)
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
                components[property.Name] = string.Equals(ValueText(value), expect.EqualsValue ?? "healthy", StringComparison.OrdinalIgnoreCase);
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

    internal sealed record Evaluation(Outcome Outcome, string? Reason, string Detail, HealthDetails? Details);
}
