namespace Synthetic.Results;

/// <summary>The values of the <c>probe</c> label (design.md, metric contract).</summary>
internal static class ProbeNames
{
    public const string Health = "health";
    public const string HealthDetailed = "health_detailed";
    public const string ComponentPrefix = "component_";
    public const string Transcription = "transcription";
    public const string Streaming = "streaming";

    public static string Component(string name) => ComponentPrefix + name;
}
