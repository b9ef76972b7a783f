namespace Synthetic.Configuration;

/// <summary>
/// Resolves the defaults of one target's checks, once. A default that conflicts only with a value the user set follows
/// it (MaxLatency 1s alone brings DegradedLatency down with it); two values the user set are kept for the validator.
/// </summary>
internal static class PlanBuilder
{
    public static HealthPlan Health(HealthOptions health, out HashSet<string> userSet)
    {
        userSet = UserSet(("Interval", health.Interval), ("Timeout", health.Timeout));
        var (interval, timeout) = Defaults.Pair(health.Interval, health.Timeout, Defaults.HealthInterval, Defaults.HealthTimeout, strict: true);
        var expect = health.Expect;
        return new HealthPlan(health.Path, interval, timeout, health.Detailed, health.Components ?? Defaults.Components,
            new ExpectPlan(expect.Status, expect.JsonPath, expect.EqualsValue, expect.Contains), health.Retries);
    }

    public static CanaryPlan Canary(CanaryOptions canary, DialectCatalog dialects, out HashSet<string> userSet)
    {
        userSet = UserSet(("Interval", canary.Interval), ("Timeout", canary.Timeout), ("AttemptTimeout", canary.AttemptTimeout),
            ("MaxWer", canary.MaxWer), ("DegradedWer", canary.DegradedWer), ("MaxLatency", canary.MaxLatency),
            ("DegradedLatency", canary.DegradedLatency));
        var (interval, timeout) = Defaults.Pair(canary.Interval, canary.Timeout, Defaults.CanaryInterval, Defaults.CanaryTimeout, strict: true);
        var (maxWer, degradedWer) = Defaults.Pair(canary.MaxWer, canary.DegradedWer, Defaults.MaxWer, Defaults.DegradedWer);
        var (maxLatency, degradedLatency) = Defaults.Pair(canary.MaxLatency, canary.DegradedLatency, Defaults.MaxLatency, Defaults.DegradedLatency);
        var path = canary.Path ?? dialects.DefaultPaths.GetValueOrDefault(canary.Dialect) ?? "/";
        var wer = new WerThresholds(maxWer, degradedWer, canary.MaxWer is not null || canary.DegradedWer is not null);
        return new CanaryPlan(canary.Dialect, path, interval, timeout, canary.AttemptTimeout ?? timeout, canary.Samples ?? Defaults.Samples,
            canary.Language, canary.Model, wer, maxLatency, degradedLatency, canary.Retries);
    }

    public static StreamingPlan Streaming(StreamingOptions streaming, out HashSet<string> userSet)
    {
        userSet = UserSet(("Interval", streaming.Interval), ("Timeout", streaming.Timeout), ("MaxWer", streaming.MaxWer),
            ("DegradedWer", streaming.DegradedWer), ("MaxTimeToFirstTranscript", streaming.MaxTimeToFirstTranscript),
            ("DegradedTimeToFirstTranscript", streaming.DegradedTimeToFirstTranscript), ("MaxFinalizeLatency", streaming.MaxFinalizeLatency),
            ("DegradedFinalizeLatency", streaming.DegradedFinalizeLatency));
        var (interval, timeout) = Defaults.Pair(streaming.Interval, streaming.Timeout, Defaults.CanaryInterval, Defaults.CanaryTimeout, strict: true);
        var (maxWer, degradedWer) = Defaults.Pair(streaming.MaxWer, streaming.DegradedWer, Defaults.MaxWer, Defaults.DegradedWer);
        var (maxTtft, degradedTtft) = Defaults.Pair(streaming.MaxTimeToFirstTranscript, streaming.DegradedTimeToFirstTranscript,
            Defaults.MaxTimeToFirstTranscript, Defaults.DegradedTimeToFirstTranscript);
        var (maxFinalize, degradedFinalize) = Defaults.Pair(streaming.MaxFinalizeLatency, streaming.DegradedFinalizeLatency,
            Defaults.MaxFinalizeLatency, Defaults.DegradedFinalizeLatency);
        var wer = new WerThresholds(maxWer, degradedWer, streaming.MaxWer is not null || streaming.DegradedWer is not null);
        return new StreamingPlan(streaming.Dialect, streaming.Path, interval, timeout, streaming.Samples ?? Defaults.Samples, streaming.ChunkDuration,
            streaming.Pace, streaming.Language, streaming.Model, wer, maxTtft, degradedTtft, maxFinalize, degradedFinalize);
    }

    private static HashSet<string> UserSet(params (string Key, object? Value)[] keys) =>
        keys.Where(k => k.Value is not null).Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
}
