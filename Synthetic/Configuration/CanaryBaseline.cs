using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synthetic.Configuration;

/// <summary>
/// A baseline written by <c>synthetic calibrate</c>: per sample, the transcript a good server returned. With
/// <c>Canary:Baseline</c> set, every canary transcript is compared with it (drift).
/// </summary>
internal sealed record CanaryBaseline(string File, IReadOnlyDictionary<string, BaselineSample> Samples)
{
    public const string Schema = "synthetic.baseline/v1";

    /// <summary>The file's JSON shape (also what calibrate writes).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Reads and validates <paramref name="path"/>; on a problem returns null and one message (without the key, which
    /// the caller adds).
    /// </summary>
    public static (CanaryBaseline? Baseline, string? Error) Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        BaselineDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<BaselineDocument>(System.IO.File.ReadAllText(path), JsonOptions);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return (null, $"'{path}' cannot be read: {ex.Message}");
        }
        catch (JsonException ex)
        {
            return (null, $"'{path}' is not valid JSON: {ex.Message}");
        }

        return Validate(path, document);
    }

    internal static (CanaryBaseline? Baseline, string? Error) Validate(string path, BaselineDocument? document)
    {
        if (document is null || document.Schema != Schema)
        {
            return (null, $"'{path}' is not a baseline (schema must be {Schema}; write one with 'synthetic calibrate').");
        }

        if (document.Samples is not { Count: > 0 } samples)
        {
            return (null, $"'{path}' has no samples.");
        }

        var byId = new Dictionary<string, BaselineSample>(StringComparer.Ordinal);
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            if (sample is null || string.IsNullOrWhiteSpace(sample.Sample))
            {
                return (null, $"'{path}': samples[{i}] has no sample id.");
            }

            if (sample.Transcript is null)
            {
                return (null, $"'{path}': sample '{sample.Sample}' has no transcript.");
            }

            if (!byId.TryAdd(sample.Sample, sample))
            {
                return (null, $"'{path}': sample '{sample.Sample}' is listed twice.");
            }
        }

        return (new CanaryBaseline(path, byId), null);
    }
}

/// <summary>The baseline file as JSON.</summary>
internal sealed class BaselineDocument
{
    public string? Schema { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>The URL calibrated against (never a secret).</summary>
    public string? Target { get; set; }

    public string? Dialect { get; set; }

    public int Runs { get; set; }

    public List<BaselineSample>? Samples { get; set; }
}

/// <summary>One sample of a baseline: the most frequent transcript of the calibration runs and what was measured.</summary>
internal sealed record BaselineSample
{
    public string Sample { get; init; } = string.Empty;

    public string? Transcript { get; init; }

    /// <summary>WER of <see cref="Transcript"/> against the manifest text.</summary>
    public double? WordErrorRate { get; init; }

    /// <summary>How many of the runs returned exactly <see cref="Transcript"/>.</summary>
    public int? SameTranscriptRuns { get; init; }

    public double? LatencyP50Ms { get; init; }

    public double? LatencyP95Ms { get; init; }

    public SuggestedThresholds? Suggested { get; init; }
}

/// <summary>Thresholds calibrate suggests for a sample (manifest <c>maxWer</c> / <c>degradedWer</c>, target latency).</summary>
internal sealed record SuggestedThresholds(double MaxWer, double DegradedWer, string MaxLatency, string DegradedLatency);
