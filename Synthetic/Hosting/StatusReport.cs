using System.Reflection;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Scheduling;
using Synthetic.Verdicts;

namespace Synthetic.Hosting;

/// <summary>The /status document: latest result per check with reason, timings and detail; verdicts per target. No secrets.</summary>
internal static class StatusReport
{
    public static string Version { get; } =
        typeof(StatusReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <param name="insecureTargets">Targets with <c>Tls:InsecureSkipVerify</c>: flagged, since their certificates are not checked.</param>
    /// <param name="saturation">Whether the monitor keeps up with its schedule (null: not reported).</param>
    public static object Build(IResultStore store, VerdictEvaluator verdicts, IEnumerable<string> targets, DateTimeOffset now,
        IReadOnlySet<string>? insecureTargets = null, SaturationSnapshot? saturation = null)
    {
        // One pass over the store: looking the checks up per target would be quadratic in the number of targets.
        var checksByTarget = store.All.ToLookup(s => s.Target, StringComparer.Ordinal);
        return new
        {
            version = Version,
            generatedAt = now,
            saturation = saturation is null ? null : new
            {
                saturated = saturation.Saturated,
                lateChecks = saturation.LateChecks,
                checks = saturation.Checks,
                runsInFlight = saturation.RunsInFlight,
                runsQueued = saturation.RunsQueued,
                admissionLimit = saturation.AdmissionLimit,
            },
            targets = targets.Select(target => new
            {
                name = target,
                verdict = Verdict(verdicts.Evaluate(target)),
                tls = insecureTargets?.Contains(target) == true ? new { insecureSkipVerify = true } : null,
                checks = checksByTarget[target].Select(Check).ToList(),
            }).ToList(),
        };
    }

    private static object Verdict(Verdict verdict) => new
    {
        falsePositiveHealth = verdict.FalsePositive,
        falseNegativeHealth = verdict.FalseNegative,
        explanation = verdict.Explanation,
    };

    private static object Check(CheckState state)
    {
        var latest = state.Latest;
        return new
        {
            probe = state.Probe,
            intervalSeconds = state.Interval.TotalSeconds,
            running = state.IsRunning,
            skipped = Interlocked.Read(ref state.Skipped),
            backoffUntil = state.NotBefore,
            latest = latest is null ? null : ResultJson.Project(latest),
            lastFailure = state.LastFailure is { } failure && !ReferenceEquals(failure, latest) ? ResultJson.Project(failure) : null,
            history = state.History.Select(o => o.Name()).ToList(),
            latencyHistoryMs = state.LatencyHistory,
        };
    }
}
