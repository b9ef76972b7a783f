namespace Synthetic.StandIn;

internal static partial class Log
{
    public const string Category = "Synthetic.StandIn";

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Synthetic.StandIn (test double of the Smallest self-host API server) listening on {BaseUrl}: {ClipCount} fixture clips from {FixturesPath}, mode {Mode}, license key {KeyPolicy}, recognizer {Recognizer}")]
    public static partial void Started(ILogger logger, Uri baseUrl, int clipCount, string fixturesPath, string mode, string keyPolicy, Recognition.RecognizerChoice recognizer);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Method} {Path} -> {Outcome} in {ElapsedMs:F0} ms (mode {Mode})")]
    public static partial void Request(ILogger logger, string method, string path, string outcome, double elapsedMs, string mode);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Mode set to {Mode} (delayMs {DelayMs}, retryAfterSeconds {RetryAfterSeconds})")]
    public static partial void ModeChanged(ILogger logger, string mode, int delayMs, int retryAfterSeconds);
}
