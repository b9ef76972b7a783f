namespace Synthetic.StandIn;

/// <summary>
/// The behaviour the stand-in currently simulates. <paramref name="Name"/> is one of the names in
/// README.md (e.g. <c>healthy</c>, <c>false-positive</c>); <paramref name="DelayMs"/> applies to
/// <c>slow</c> and <c>slow-transcription</c>, <paramref name="RetryAfterSeconds"/> to the modes that answer
/// <c>retry_after</c>. Zero means the mode's default.
/// </summary>
public sealed record StandInMode(string Name, int DelayMs = 0, int RetryAfterSeconds = 0)
{
    /// <summary>The default mode: every endpoint answers like a healthy server.</summary>
    public static StandInMode Healthy { get; } = new(ModeNames.Healthy);
}
