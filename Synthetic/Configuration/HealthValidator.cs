namespace Synthetic.Configuration;

/// <summary>The rules of one target's <c>Health</c> section, checked on its resolved plan; pure: errors out, nothing thrown.</summary>
internal static class HealthValidator
{
    public static void Validate(string p, HealthPlan health, ISet<string> userSet, List<string> errors)
    {
        ValidationRules.Path($"{p}:Path", health.Path, errors);
        ValidationRules.Schedule(p, health.Interval, health.Timeout, userSet, errors);
        if (health.Retries is < 0 or > 3)
        {
            errors.Add($"{p}:Retries: {health.Retries} is out of range (0 to 3).");
        }

        foreach (var (component, index) in health.Components.Select((c, i) => (c, i)))
        {
            if (string.IsNullOrWhiteSpace(component) || !ValidationRules.NamePattern().IsMatch(component))
            {
                errors.Add($"{p}:Components:{index}: '{component}' must match [a-z0-9_-]+.");
            }
        }

        foreach (var duplicate in health.Components.GroupBy(c => c).Where(g => g.Count() > 1))
        {
            errors.Add($"{p}:Components: '{duplicate.Key}' is listed twice.");
        }

        var expect = health.Expect;
        if (expect.Status is < 100 or > 599)
        {
            errors.Add($"{p}:Expect:Status: {expect.Status} is not an HTTP status code (100 to 599).");
        }

        var hasJson = !string.IsNullOrWhiteSpace(expect.JsonPath);
        if (hasJson && string.IsNullOrEmpty(expect.EqualsValue))
        {
            errors.Add($"{p}:Expect:Equals: required when Expect:JsonPath is set (e.g. healthy).");
        }

        if (hasJson && !ValidationRules.JsonPathPattern().IsMatch(expect.JsonPath!))
        {
            errors.Add($"{p}:Expect:JsonPath: '{expect.JsonPath}' must be a dotted path of property names (e.g. status or data.state).");
        }

        if (!hasJson && string.IsNullOrEmpty(expect.Contains))
        {
            errors.Add($"{p}:Expect: set JsonPath and Equals (parsed JSON) or Contains (plain text body).");
        }
    }
}
