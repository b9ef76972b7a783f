using System.Collections.Frozen;

namespace Synthetic.StandIn;

/// <summary>The names of the simulated behaviours; README.md describes each.</summary>
internal static class ModeNames
{
    public const string Healthy = "healthy";

    // Health-side faults.
    public const string Unhealthy = "unhealthy";
    public const string UnhealthyBody = "unhealthy-body";
    public const string ComponentDown = "component-down";
    public const string Slow = "slow";
    public const string Hang = "hang";
    public const string Garbage = "garbage";
    public const string Oversized = "oversized";
    public const string Reset = "reset";

    // Transcription-side faults (health stays 200 healthy).
    public const string FalsePositive = "false-positive";
    public const string WrongTranscript = "wrong-transcript";
    public const string EmptyTranscript = "empty-transcript";
    public const string SlowTranscription = "slow-transcription";
    public const string Auth401 = "auth-401";
    public const string LicenseExpired = "license-expired";
    public const string RateLimited = "rate-limited";
    public const string UnsupportedFormat = "unsupported-format";
    public const string WrongDuration = "wrong-duration";
    public const string Unavailable = "unavailable";

    // Streaming-side faults (health and POST /v1/listen stay healthy): Streaming/StreamSession.cs.
    public const string StreamStall = "stream-stall";
    public const string StreamNoPartials = "stream-no-partials";
    public const string StreamClose1008 = "stream-close-1008";
    public const string StreamSlowFinal = "stream-slow-final";
    public const string StreamGarbled = "stream-garbled";
    public const string StreamError = "stream-error";
    public const string StreamAuth = "stream-auth";
    public const string StreamBroken = "stream-broken";

    public static IReadOnlyList<string> All { get; } =
    [
        Healthy, Unhealthy, UnhealthyBody, ComponentDown, Slow, Hang, Garbage, Oversized, Reset,
        FalsePositive, WrongTranscript, EmptyTranscript, SlowTranscription, Auth401, LicenseExpired,
        RateLimited, UnsupportedFormat, WrongDuration, Unavailable,
        StreamStall, StreamNoPartials, StreamClose1008, StreamSlowFinal, StreamGarbled, StreamError, StreamAuth, StreamBroken,
    ];

    private static readonly FrozenSet<string> Known = All.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool TryCanonicalize(string? name, out string canonical)
    {
        canonical = string.Empty;
        if (name is null || !Known.TryGetValue(name.Trim(), out var found))
        {
            return false;
        }

        canonical = found;
        return true;
    }
}

/// <summary>Validates a requested mode and fills in the defaults, so the mode in force is always explicit.</summary>
internal static class ModeRules
{
    public const int DefaultDelayMs = 2000;
    public const int DefaultRetryAfterSeconds = 5;
    public const int MaxDelayMs = 600_000;
    public const int MaxRetryAfterSeconds = 86_400;

    /// <summary>Returns the mode to store, or the name of the bad field and why.</summary>
    public static (StandInMode? Mode, string? Field, string? Problem) Normalize(string? name, int delayMs, int retryAfterSeconds)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return (null, "mode", $"required; expected one of: {string.Join(", ", ModeNames.All)}");
        }

        if (!ModeNames.TryCanonicalize(name, out var canonical))
        {
            return (null, "mode", $"unknown mode '{name}'; expected one of: {string.Join(", ", ModeNames.All)}");
        }

        if (delayMs is < 0 or > MaxDelayMs)
        {
            return (null, "delayMs", $"delayMs must be between 0 and {MaxDelayMs}");
        }

        if (retryAfterSeconds is < 0 or > MaxRetryAfterSeconds)
        {
            return (null, "retryAfterSeconds", $"retryAfterSeconds must be between 0 and {MaxRetryAfterSeconds}");
        }

        if (delayMs == 0 && canonical is ModeNames.Slow or ModeNames.SlowTranscription or ModeNames.StreamSlowFinal)
        {
            delayMs = DefaultDelayMs;
        }

        if (retryAfterSeconds == 0 && canonical is ModeNames.RateLimited or ModeNames.Unavailable or ModeNames.Unhealthy)
        {
            retryAfterSeconds = DefaultRetryAfterSeconds;
        }

        return (new StandInMode(canonical, delayMs, retryAfterSeconds), null, null);
    }

    /// <summary>Like <see cref="Normalize"/>, for in-process callers: throws on a bad mode.</summary>
    public static StandInMode NormalizeOrThrow(StandInMode mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        var (normalized, field, problem) = Normalize(mode.Name, mode.DelayMs, mode.RetryAfterSeconds);
        return normalized ?? throw new ArgumentException($"{field}: {problem}", nameof(mode));
    }
}

/// <summary>
/// The faults that hit every endpoint alike (except the <c>/_standin/</c> control plane, which must keep
/// answering so a test can switch the fault off again): <c>slow</c>, <c>hang</c>, <c>reset</c>.
/// </summary>
internal static class ModeMiddleware
{
    public static async Task InvokeAsync(HttpContext context, StandInState state, RequestDelegate next)
    {
        if (ControlEndpoints.IsControlPath(context.Request.Path))
        {
            await next(context);
            return;
        }

        var mode = state.Mode;
        switch (mode.Name)
        {
            case ModeNames.Reset:
                context.Abort();
                return;

            case ModeNames.Hang:
                // Never answer: wait until the client goes away (or the stand-in stops), then drop the connection
                // rather than let the framework send an empty 200.
                await state.WaitAsync(Timeout.InfiniteTimeSpan, context.RequestAborted);
                context.Abort();
                return;

            case ModeNames.Slow:
                if (!await state.WaitAsync(TimeSpan.FromMilliseconds(mode.DelayMs), context.RequestAborted))
                {
                    context.Abort();
                    return;
                }

                break;
        }

        await next(context);
    }
}
