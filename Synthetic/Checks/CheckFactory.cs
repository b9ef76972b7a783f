using Synthetic.Audio;
using Synthetic.Checks.Health;
using Synthetic.Checks.Streaming;
using Synthetic.Checks.Transcription;
using Synthetic.Configuration;
using Synthetic.Probing;
using Synthetic.Results;

namespace Synthetic.Checks;

/// <summary>Builds the checks of every target from the plan: health, detailed, components, canary.</summary>
internal static class CheckFactory
{
    public static List<ICheck> Create(MonitorPlan plan, TimeProvider time, ClipLibrary? clips)
    {
        var checks = new List<ICheck>();
        foreach (var target in plan.Targets)
        {
            var redactor = new Redactor(target.LicenseKey);
            if (target.Health is { } health)
            {
                var path = health.Path.TrimStart('/');
                checks.Add(Probe(ProbeNames.Health, path, detailed: false));
                if (health.Detailed)
                {
                    checks.Add(Probe(ProbeNames.HealthDetailed, path + "?detailed=true", detailed: true));
                }

                foreach (var component in health.Components)
                {
                    checks.Add(Probe(ProbeNames.Component(component), path.TrimEnd('/') + "/" + component, detailed: false));
                }

                HealthProbe Probe(string name, string relative, bool detailed) =>
                    new(target.Name, name, new Uri(target.BaseUrl, relative), health, detailed, target.ReuseConnections, time, redactor, target.Tls);
            }

            if (target.Canary is { } canary && clips is not null)
            {
                checks.Add(new TranscriptionCanary(target, canary, clips, time, redactor));
            }

            if (target.Streaming is { } streaming && clips is not null)
            {
                checks.Add(new StreamingCanary(target, streaming, clips, time, redactor));
            }
        }

        return checks;
    }
}
