using Microsoft.Extensions.Configuration;
using Synthetic.Audio;
using Synthetic.Checks;
using Synthetic.Checks.Transcription;
using Synthetic.Configuration;

namespace Synthetic.Hosting;

/// <summary>Configuration, then the clips the canaries need, then the checks: all errors collected, none thrown.</summary>
internal static class SetupLoader
{
    public static (MonitorSetup? Setup, IReadOnlyList<string> Errors) Load(IConfiguration configuration, TimeProvider time)
    {
        var loaded = ConfigurationLoader.Load(configuration, TranscriptionDialects.Catalog);
        if (loaded.Plan is not { } plan)
        {
            return (null, loaded.Errors);
        }

        var required = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Targets.Count; i++)
        {
            if (plan.Targets[i].Streaming is { } streaming)
            {
                var streamed = streaming.Samples;
                for (var j = 0; j < streamed.Count; j++)
                {
                    required.TryAdd(streamed[j], $"Synthetic:Targets:{i}:Streaming:Samples:{j}");
                }
            }

            if (plan.Targets[i].Canary is not { } canary)
            {
                continue;
            }

            for (var j = 0; j < canary.Samples.Count; j++)
            {
                required.TryAdd(canary.Samples[j], $"Synthetic:Targets:{i}:Canary:Samples:{j}");
            }
        }

        ClipLibrary? clips = null;
        if (required.Count > 0)
        {
            var (library, clipErrors) = ClipLibrary.Load(plan.FixturesPath ?? ClipLibrary.DefaultFolder, required);
            if (clipErrors.Count > 0)
            {
                return (null, clipErrors);
            }

            clips = library;
        }

        return (new MonitorSetup(plan, clips, CheckFactory.Create(plan, time, clips)), []);
    }
}
