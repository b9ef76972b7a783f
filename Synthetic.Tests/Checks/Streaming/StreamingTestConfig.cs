using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Checks.Streaming;

/// <summary>Monitor configurations for the streaming tests: one target per streaming dialect, fast and at 4× real time.</summary>
internal static class StreamingTestConfig
{
    public const string Key = "stream-key-0042";

    public static readonly string[] Dialects = ["smallest-stream", "pulse-live", "deepgram", "openai-realtime"];

    /// <summary>The target name used for a dialect.</summary>
    public static string TargetOf(string dialect) => dialect.Replace("-", "_", StringComparison.Ordinal);

    public static Task<StandInServer> StartStandInAsync(TimeSpan? firstPartialDelay = null) =>
        StandInServer.StartAsync(new StandInOptions
        {
            FixturesPath = RepoPaths.Combine("fixtures", "audio"),
            LicenseKey = Key,
            StreamFirstPartialDelay = firstPartialDelay,
        });

    /// <summary>
    /// quick-brown-fox (2.9 s) streamed at Pace 4 (~0.73 s) every 3 s, timeout 2.5 s; time to first transcript fails above
    /// 500 ms (degraded 300 ms), finalize latency fails above 500 ms (degraded 300 ms). Batch canary off, health on.
    /// </summary>
    public static Dictionary<string, string?> ForDialects(Uri baseUrl, IEnumerable<string> dialects)
    {
        var config = new Dictionary<string, string?>
        {
            ["Synthetic:Listen"] = "http://127.0.0.1:0",
            ["Synthetic:SpreadStart"] = "false",
            ["Synthetic:FixturesPath"] = RepoPaths.Combine("fixtures", "audio"),
        };
        var i = 0;
        foreach (var dialect in dialects)
        {
            var p = $"Synthetic:Targets:{i++}:";
            config[p + "Name"] = TargetOf(dialect);
            config[p + "BaseUrl"] = baseUrl.ToString();
            config[p + "LicenseKey"] = Key;
            config[p + "Health:Interval"] = "500ms";
            config[p + "Health:Timeout"] = "400ms";
            config[p + "Health:Detailed"] = "false";
            config[p + "Health:Components"] = string.Empty;
            config[p + "Canary:Enabled"] = "false";
            config[p + "Streaming:Enabled"] = "true";
            config[p + "Streaming:Dialect"] = dialect;
            config[p + "Streaming:Interval"] = "3s";
            config[p + "Streaming:Timeout"] = "2500ms";
            config[p + "Streaming:Pace"] = "4";
            config[p + "Streaming:MaxTimeToFirstTranscript"] = "500ms";
            config[p + "Streaming:DegradedTimeToFirstTranscript"] = "300ms";
            config[p + "Streaming:MaxFinalizeLatency"] = "500ms";
            config[p + "Streaming:DegradedFinalizeLatency"] = "300ms";
        }

        return config;
    }
}
