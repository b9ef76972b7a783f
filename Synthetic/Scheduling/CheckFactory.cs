using Synthetic.Audio;
using Synthetic.Configuration;
using Synthetic.Health;
using Synthetic.Probing;
using Synthetic.Transcription;

namespace Synthetic.Scheduling;

/// <summary>Builds the checks of every target from validated options: health, detailed, components, canary.</summary>
internal static class CheckFactory
{
    public static List<ICheck> Create(SyntheticOptions options, TimeProvider time, ClipLibrary? clips)
    {
        var checks = new List<ICheck>();
        foreach (var target in options.Targets)
        {
            var baseUrl = new Uri(target.BaseUrl.TrimEnd('/') + "/");
            var redactor = new Redactor(target.ResolvedLicenseKey);
            var health = target.Health;
            if (health.Enabled)
            {
                var path = health.Path.TrimStart('/');
                checks.Add(new HealthProbe(target.Name, "health", new Uri(baseUrl, path), health, detailed: false, target.ReuseConnections, time, redactor,
                    target.Tls));
                if (health.Detailed)
                {
                    checks.Add(new HealthProbe(target.Name, "health_detailed", new Uri(baseUrl, path + "?detailed=true"), health, detailed: true,
                        target.ReuseConnections, time, redactor, target.Tls));
                }

                foreach (var component in health.Components ?? [.. HealthOptions.DefaultComponents])
                {
                    checks.Add(new HealthProbe(target.Name, "component_" + component, new Uri(baseUrl, path.TrimEnd('/') + "/" + component), health,
                        detailed: false, target.ReuseConnections, time, redactor, target.Tls));
                }
            }

            if (target.Canary.Enabled && clips is not null)
            {
                checks.Add(new TranscriptionCanary(target, baseUrl, clips, time, redactor));
            }
        }

        return checks;
    }
}
