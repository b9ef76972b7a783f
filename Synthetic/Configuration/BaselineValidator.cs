using System.Globalization;

namespace Synthetic.Configuration;

/// <summary>
/// <c>Canary:Baseline</c> and <c>Canary:MaxDrift</c>: the file is read and checked at start-up, and every configured
/// sample must be in it (a sample without a baseline would silently never be checked for drift).
/// </summary>
internal static class BaselineValidator
{
    public static CanaryPlan Attach(string p, CanaryPlan canary, CanaryOptions options, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(options);
        var maxDrift = options.MaxDrift ?? Defaults.MaxDrift;
        if (double.IsNaN(maxDrift) || maxDrift is < 0 or > 10)
        {
            errors.Add($"{p}:MaxDrift: {maxDrift.ToString(CultureInfo.InvariantCulture)} is out of range (0 to 10).");
        }

        if (options.Baseline is null)
        {
            return canary with { MaxDrift = maxDrift };
        }

        if (string.IsNullOrWhiteSpace(options.Baseline))
        {
            errors.Add($"{p}:Baseline: must be a file path (written by 'synthetic calibrate') or absent.");
            return canary;
        }

        var (baseline, error) = CanaryBaseline.Load(options.Baseline);
        if (baseline is null)
        {
            errors.Add($"{p}:Baseline: {error}");
            return canary;
        }

        var missing = canary.Samples.Where(s => !baseline.Samples.ContainsKey(s)).ToList();
        if (missing.Count > 0)
        {
            errors.Add($"{p}:Baseline: '{options.Baseline}' has no baseline for sample{(missing.Count == 1 ? string.Empty : "s")} " +
                       $"{string.Join(", ", missing)} (run 'synthetic calibrate' with these samples).");
        }

        return canary with { Baseline = baseline, MaxDrift = maxDrift };
    }
}
