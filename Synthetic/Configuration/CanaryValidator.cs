using System.Globalization;

namespace Synthetic.Configuration;

/// <summary>The rules of one target's <c>Canary</c> section, checked on its resolved plan; pure: errors out, nothing thrown.</summary>
internal static class CanaryValidator
{
    public static void Validate(string p, CanaryPlan canary, ISet<string> userSet, DialectCatalog dialects, List<string> errors)
    {
        if (!dialects.DefaultPaths.ContainsKey(canary.Dialect))
        {
            errors.Add($"{p}:Dialect: '{canary.Dialect}' is not one of {string.Join(", ", dialects.DefaultPaths.Keys)}.");
        }

        ValidationRules.Path($"{p}:Path", canary.Path, errors);
        ValidationRules.Schedule(p, canary.Interval, canary.Timeout, userSet, errors);
        if (userSet.Contains("AttemptTimeout") && (canary.AttemptTimeout <= TimeSpan.Zero || canary.AttemptTimeout > canary.Timeout))
        {
            errors.Add($"{p}:AttemptTimeout: {DurationParser.Format(canary.AttemptTimeout)} must be positive and at most " +
                       $"{ValidationRules.Named(p, "Timeout", userSet)} ({DurationParser.Format(canary.Timeout)}).");
        }

        if (canary.Samples.Count == 0)
        {
            errors.Add($"{p}:Samples: at least one sample id is required (see fixtures/audio/manifest.json).");
        }

        foreach (var duplicate in canary.Samples.GroupBy(s => s).Where(g => g.Count() > 1))
        {
            errors.Add($"{p}:Samples: '{duplicate.Key}' is listed twice.");
        }

        if (!ValidationRules.LanguagePattern().IsMatch(canary.Language))
        {
            errors.Add($"{p}:Language: '{canary.Language}' is not an ISO 639-1 code (e.g. en).");
        }

        if (string.IsNullOrWhiteSpace(canary.Model))
        {
            errors.Add($"{p}:Model: must not be empty.");
        }

        var wer = canary.Wer;
        if (double.IsNaN(wer.Max) || wer.Max is < 0 or > 10)
        {
            errors.Add($"{p}:MaxWer: {Number(wer.Max)} is out of range (0 to 10).");
        }
        else if (double.IsNaN(wer.Degraded) || wer.Degraded < 0 || wer.Degraded > wer.Max)
        {
            errors.Add($"{p}:DegradedWer: {Number(wer.Degraded)} must be between 0 and {ValidationRules.Named(p, "MaxWer", userSet)} ({Number(wer.Max)}).");
        }

        if (canary.MaxLatency <= TimeSpan.Zero)
        {
            errors.Add($"{p}:MaxLatency: must be positive.");
        }
        else if (canary.DegradedLatency <= TimeSpan.Zero || canary.DegradedLatency > canary.MaxLatency)
        {
            errors.Add($"{p}:DegradedLatency: {DurationParser.Format(canary.DegradedLatency)} must be positive and at most " +
                       $"{ValidationRules.Named(p, "MaxLatency", userSet)} ({DurationParser.Format(canary.MaxLatency)}).");
        }

        if (canary.Retries is < 0 or > 1)
        {
            errors.Add($"{p}:Retries: {canary.Retries} is out of range (0 or 1; retries must never hide flakiness).");
        }
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
