namespace Synthetic.Configuration;

/// <summary>Every default of the configuration, in one place (the README's configuration reference lists them).</summary>
internal static class Defaults
{
    public static readonly TimeSpan HealthInterval = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan CanaryInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan CanaryTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxLatency = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DegradedLatency = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxTimeToFirstTranscript = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DegradedTimeToFirstTranscript = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxFinalizeLatency = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan DegradedFinalizeLatency = TimeSpan.FromMilliseconds(1500);
    public const double MaxWer = 0.25;
    public const double DegradedWer = 0.10;
    public const double MaxDrift = 0.2;
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);

    public static readonly IReadOnlyList<string> Components = ["asr", "license", "redis"];
    public static readonly IReadOnlyList<string> Samples = ["quick-brown-fox"];

    /// <summary>
    /// Resolves an ordered pair (<paramref name="lower"/> must not exceed <paramref name="upper"/>, or must stay below
    /// it when <paramref name="strict"/>) of which the user may have set one, both or neither. A default that would
    /// break the rule only because of the value the user set follows that value, keeping the defaults' proportion;
    /// two values the user set are kept as they are, for the validator to judge.
    /// </summary>
    public static (double Upper, double Lower) Pair(double? upper, double? lower, double defaultUpper, double defaultLower, bool strict = false)
    {
        var ratio = defaultLower / defaultUpper;
        return (upper, lower) switch
        {
            ({ } u, { } l) => (u, l),
            ({ } u, null) => (u, Fits(u, defaultLower, strict) ? defaultLower : u * ratio),
            (null, { } l) => (Fits(defaultUpper, l, strict) ? defaultUpper : l / ratio, l),
            _ => (defaultUpper, defaultLower),
        };
    }

    public static (TimeSpan Upper, TimeSpan Lower) Pair(TimeSpan? upper, TimeSpan? lower, TimeSpan defaultUpper, TimeSpan defaultLower,
        bool strict = false)
    {
        var (u, l) = Pair(upper?.Ticks, lower?.Ticks, defaultUpper.Ticks, defaultLower.Ticks, strict);
        return (TimeSpan.FromTicks((long)Math.Round(u)), TimeSpan.FromTicks((long)Math.Round(l)));
    }

    private static bool Fits(double upper, double lower, bool strict) => strict ? lower < upper : lower <= upper;
}
