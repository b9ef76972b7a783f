using Microsoft.Extensions.Configuration;

namespace Synthetic.Configuration;

/// <summary>
/// Reads the <c>Synthetic</c> section into a <see cref="MonitorPlan"/>: strict binding, defaults resolved once, one
/// validator per options type, secrets in their own step. Every problem is collected with the full key that causes it,
/// so one start-up message names all of them (exit code 2), never a stack trace.
/// </summary>
internal static class ConfigurationLoader
{
    public static ConfigurationLoadResult Load(IConfiguration configuration, DialectCatalog dialects)
    {
        var errors = new List<string>();
        var options = OptionsBinder.Bind(configuration, errors);
        TargetValidator.ValidateRoot(options, errors);
        var targets = new List<TargetPlan>(options.Targets.Count);
        for (var i = 0; i < options.Targets.Count; i++)
        {
            if (Plan($"{SyntheticOptions.SectionName}:Targets:{i}", options.Targets[i], dialects, errors) is { } plan)
            {
                targets.Add(plan);
            }
        }

        var web = WebValidator.Validate($"{SyntheticOptions.SectionName}:Web", options.Web, errors);
        var cluster = ClusterValidator.Validate($"{SyntheticOptions.SectionName}:Cluster", options.Cluster, errors);
        var monitor = new MonitorPlan(options.Listen, options.FixturesPath, options.SpreadStart, targets) { Web = web, Cluster = cluster };
        return new ConfigurationLoadResult(errors.Count == 0 ? monitor : null, errors);
    }

    private static TargetPlan? Plan(string p, TargetOptions target, DialectCatalog dialects, List<string> errors)
    {
        var before = errors.Count;
        var baseUrl = TargetValidator.Validate(p, target, errors);
        HealthPlan? health = null;
        if (target.Health.Enabled)
        {
            health = PlanBuilder.Health(target.Health, out var userSet);
            HealthValidator.Validate($"{p}:Health", health, userSet, errors);
        }

        CanaryPlan? canary = null;
        if (target.Canary.Enabled)
        {
            canary = PlanBuilder.Canary(target.Canary, dialects, out var userSet);
            CanaryValidator.Validate($"{p}:Canary", canary, userSet, dialects, errors);
            canary = BaselineValidator.Attach($"{p}:Canary", canary, target.Canary, errors);
        }

        // Validated even when off, so a typo in a disabled section is found before someone enables it.
        var streaming = PlanBuilder.Streaming(target.Streaming, out var streamingUserSet);
        StreamingValidation.Validate($"{p}:Streaming", streaming, streamingUserSet, errors);
        var licenseKey = SecretResolver.LicenseKey(p, target, errors);
        var tls = TlsValidator.Validate($"{p}:Tls", target.Tls, target.BaseUrl, errors);
        return errors.Count > before || baseUrl is null
            ? null
            : new TargetPlan(target.Name, baseUrl, licenseKey, target.Labels, target.ReuseConnections, health, canary)
            {
                Streaming = target.Streaming.Enabled ? streaming : null,
                Tls = tls,
            };
    }
}

internal sealed record ConfigurationLoadResult(MonitorPlan? Plan, IReadOnlyList<string> Errors)
{
    public bool IsValid => Plan is not null;
}
