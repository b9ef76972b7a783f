using System.Globalization;
using System.Text.RegularExpressions;

namespace Synthetic.Configuration;

/// <summary>Rules of a target's <c>Streaming</c> section; every error names its full key.</summary>
internal static partial class StreamingValidation
{
    public static void Validate(string p, StreamingPlan streaming, ISet<string> userSet, List<string> errors)
    {
        if (!StreamingDialects.All.Contains(streaming.Dialect))
        {
            errors.Add($"{p}:Dialect: '{streaming.Dialect}' is not one of {string.Join(", ", StreamingDialects.All)}.");
        }

        if (streaming.Path is { } path && (string.IsNullOrWhiteSpace(path) || !path.StartsWith('/') || path.Contains('?', StringComparison.Ordinal) ||
                                           path.Contains('#', StringComparison.Ordinal) || path.Any(char.IsWhiteSpace)))
        {
            errors.Add($"{p}:Path: '{path}' must be an absolute path starting with '/' (no query, no spaces).");
        }

        ValidationRules.Schedule(p, streaming.Interval, streaming.Timeout, userSet, errors);

        if (streaming.Samples.Count == 0)
        {
            errors.Add($"{p}:Samples: at least one sample id is required (see fixtures/audio/manifest.json).");
        }

        foreach (var duplicate in streaming.Samples.GroupBy(s => s).Where(g => g.Count() > 1))
        {
            errors.Add($"{p}:Samples: '{duplicate.Key}' is listed twice.");
        }

        if (streaming.ChunkDuration < TimeSpan.FromMilliseconds(10) || streaming.ChunkDuration > TimeSpan.FromSeconds(1))
        {
            errors.Add($"{p}:ChunkDuration: {DurationParser.Format(streaming.ChunkDuration)} is out of range (10ms to 1s).");
        }

        if (double.IsNaN(streaming.Pace) || streaming.Pace is < 0.1 or > 100)
        {
            errors.Add($"{p}:Pace: {streaming.Pace.ToString(CultureInfo.InvariantCulture)} is out of range (0.1 to 100; 1 = real time).");
        }

        if (!LanguagePattern().IsMatch(streaming.Language))
        {
            errors.Add($"{p}:Language: '{streaming.Language}' is not an ISO 639-1 code (e.g. en).");
        }

        if (streaming.Model is { } model && (model.Length is 0 or > 100 || !ModelPattern().IsMatch(model)))
        {
            errors.Add($"{p}:Model: '{model}' must be 1 to 100 characters of letters, digits, '.', '_', '-' or '/'.");
        }

        if (double.IsNaN(streaming.Wer.Max) || streaming.Wer.Max is < 0 or > 10)
        {
            errors.Add($"{p}:MaxWer: {streaming.Wer.Max.ToString(CultureInfo.InvariantCulture)} is out of range (0 to 10).");
        }
        else if (double.IsNaN(streaming.Wer.Degraded) || streaming.Wer.Degraded < 0 || streaming.Wer.Degraded > streaming.Wer.Max)
        {
            errors.Add($"{p}:DegradedWer: {streaming.Wer.Degraded.ToString(CultureInfo.InvariantCulture)} must be between 0 and " +
                       $"{ValidationRules.Named(p, "MaxWer", userSet)} ({streaming.Wer.Max.ToString(CultureInfo.InvariantCulture)}).");
        }

        Threshold(p, "TimeToFirstTranscript", streaming.MaxTimeToFirstTranscript, streaming.DegradedTimeToFirstTranscript, userSet, errors);
        Threshold(p, "FinalizeLatency", streaming.MaxFinalizeLatency, streaming.DegradedFinalizeLatency, userSet, errors);
    }

    private static void Threshold(string p, string name, TimeSpan max, TimeSpan degraded, ISet<string> userSet, List<string> errors)
    {
        if (max <= TimeSpan.Zero)
        {
            errors.Add($"{p}:Max{name}: must be positive.");
        }
        else if (degraded <= TimeSpan.Zero || degraded > max)
        {
            errors.Add($"{p}:Degraded{name}: {DurationParser.Format(degraded)} must be positive and at most " +
                       $"{ValidationRules.Named(p, "Max" + name, userSet)} ({DurationParser.Format(max)}).");
        }
    }

    [GeneratedRegex("^[a-z]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguagePattern();

    [GeneratedRegex("^[A-Za-z0-9._/-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ModelPattern();
}
