using Microsoft.Extensions.Configuration;
using Synthetic.Checks;
using Synthetic.Audio;
using Synthetic.Configuration;
using Synthetic.Scheduling;
using Synthetic.Results;

namespace Synthetic.Hosting;

/// <summary>Configuration, then the clips the canaries need, then the checks: all errors collected, none thrown.</summary>
internal static class SetupLoader
{
    public static (MonitorSetup? Setup, IReadOnlyList<string> Errors) Load(IConfiguration configuration, TimeProvider time)
    {
        var loaded = ConfigurationLoader.Load(configuration);
        var errors = loaded.Errors.ToList();
        var options = loaded.Options;

        ClipLibrary? clips = null;
        var required = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Targets.Count; i++)
        {
            var streaming = options.Targets[i].Streaming;
            if (streaming.Enabled)
            {
                var streamed = streaming.Samples ?? [.. StreamingOptions.DefaultSamples];
                for (var j = 0; j < streamed.Count; j++)
                {
                    required.TryAdd(streamed[j], streaming.Samples is null
                        ? $"Synthetic:Targets:{i}:Streaming:Samples"
                        : $"Synthetic:Targets:{i}:Streaming:Samples:{j}");
                }
            }

            var canary = options.Targets[i].Canary;
            if (!canary.Enabled)
            {
                continue;
            }

            var samples = canary.Samples ?? [.. CanaryOptions.DefaultSamples];
            for (var j = 0; j < samples.Count; j++)
            {
                required.TryAdd(samples[j], canary.Samples is null
                    ? $"Synthetic:Targets:{i}:Canary:Samples"
                    : $"Synthetic:Targets:{i}:Canary:Samples:{j}");
            }
        }

        if (required.Count > 0)
        {
            var folder = options.FixturesPath ?? ClipLibrary.DefaultFolder;
            var (library, clipErrors) = ClipLibrary.Load(folder, required);
            clips = library;
            errors.AddRange(clipErrors);
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var checks = CheckFactory.Create(options, time, clips);
        return (new MonitorSetup(options, clips, checks), errors);
    }
}
