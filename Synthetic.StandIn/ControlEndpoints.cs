using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synthetic.StandIn;

/// <summary>
/// The stand-in's own control plane under <c>/_standin/</c>: switch modes, simulate a restart, read counters.
/// Never affected by the simulated faults, never counted in the stats.
/// </summary>
internal static class ControlEndpoints
{
    public const string Prefix = "/_standin";

    private static readonly string[] ModeFields = ["mode", "delayMs", "retryAfterSeconds"];

    public static bool IsControlPath(PathString path) => path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <param name="streams">The streaming side's counters, shown under <c>streaming</c> in <c>/_standin/stats</c>.</param>
    public static void Map(IEndpointRouteBuilder app, StandInState state, Func<Streaming.StreamStats> streams)
    {
        app.MapGet(Prefix + "/mode", () => JsonResults.Json(200, ModeJson(state.Mode)));
        app.MapPost(Prefix + "/mode", async context => await (await SetModeAsync(state, context)).ExecuteAsync(context));
        app.MapPost(Prefix + "/restart", () =>
        {
            state.Restart();
            return JsonResults.Json(200, new JsonObject { ["restarted"] = true, ["uptime_seconds"] = state.UptimeSeconds });
        });
        app.MapGet(Prefix + "/stats", () =>
        {
            var stats = JsonSerializer.SerializeToNode(state.Stats.Snapshot(), JsonResults.Options)!.AsObject();
            stats["streaming"] = JsonSerializer.SerializeToNode(streams(), JsonResults.Options);
            return JsonResults.Json(200, stats);
        });
    }

    public static JsonObject ModeJson(StandInMode mode) => new()
    {
        ["mode"] = mode.Name,
        ["delayMs"] = mode.DelayMs,
        ["retryAfterSeconds"] = mode.RetryAfterSeconds,
    };

    private static async Task<IResult> SetModeAsync(StandInState state, HttpContext context)
    {
        using var json = await TranscriptionRequestReader.ReadSmallJsonAsync(context.Request, context.RequestAborted);
        if (json is null || json.RootElement.ValueKind != JsonValueKind.Object)
        {
            return BadField("body", """expected a JSON object like {"mode":"false-positive","delayMs":0,"retryAfterSeconds":0}""");
        }

        string? name = null;
        int delayMs = 0, retryAfterSeconds = 0;
        foreach (var property in json.RootElement.EnumerateObject())
        {
            switch (property.Name)
            {
                case "mode" when property.Value.ValueKind == JsonValueKind.String:
                    name = property.Value.GetString();
                    break;
                case "delayMs" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var delay):
                    delayMs = delay;
                    break;
                case "retryAfterSeconds" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var retryAfter):
                    retryAfterSeconds = retryAfter;
                    break;
                case "mode":
                    return BadField("mode", "must be a string");
                case "delayMs" or "retryAfterSeconds":
                    return BadField(property.Name, "must be an integer");
                default:
                    return BadField(property.Name, $"unknown field; expected {string.Join(", ", ModeFields)}");
            }
        }

        var (mode, field, problem) = ModeRules.Normalize(name, delayMs, retryAfterSeconds);
        if (mode is null)
        {
            return BadField(field!, problem!);
        }

        state.SetMode(mode);
        return JsonResults.Json(200, ModeJson(state.Mode));
    }

    private static IResult BadField(string field, string problem) =>
        JsonResults.Json(400, new JsonObject { ["error"] = $"{field}: {problem}", ["field"] = field });
}
