using System.IO.Pipelines;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
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
    public static StatusDocument Build(IResultStore store, VerdictEvaluator verdicts, IEnumerable<string> targets, DateTimeOffset now,
        IReadOnlySet<string>? insecureTargets = null, SaturationSnapshot? saturation = null)
    {
        // One pass over the store: looking the checks up per target would be quadratic in the number of targets.
        var checksByTarget = store.All.ToLookup(s => s.Target, StringComparer.Ordinal);
        return new StatusDocument(
            Version,
            now,
            saturation,
            targets.Select(target => new StatusTarget(
                target,
                Verdict(verdicts.Evaluate(target)),
                insecureTargets?.Contains(target) == true ? new StatusTls(InsecureSkipVerify: true) : null,
                checksByTarget[target].Select(Check).ToList())).ToList());
    }

    /// <summary>
    /// Writes the document through the generated serializers' fast path, target by target, flushing every 64 KiB. The fast
    /// path has no async form, and the async serializer needs the metadata the generator would otherwise also emit, whose
    /// generic setters alone took 233 JIT compilations on the first request (RSS, issue 15).
    /// </summary>
    public static async Task WriteAsync(PipeWriter body, StatusDocument document, CancellationToken cancellationToken)
    {
        var json = StatusJsonContext.Default;
        using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteString("version", document.Version);
        writer.WriteString("generatedAt", document.GeneratedAt);
        writer.WritePropertyName("saturation");
        JsonSerializer.Serialize(writer, document.Saturation, json.SaturationSnapshot);
        writer.WriteStartArray("targets");
        var flushed = 0L;
        foreach (var target in document.Targets)
        {
            JsonSerializer.Serialize(writer, target, json.StatusTarget);
            if (writer.BytesCommitted - flushed >= FlushEvery)
            {
                // The writer's pending bytes first: it must not keep writing into pipe memory across the pipe's flush.
                writer.Flush();
                await body.FlushAsync(cancellationToken);
                flushed = writer.BytesCommitted;
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        await body.FlushAsync(cancellationToken);
    }

    private const int FlushEvery = 64 * 1024;

    private static StatusVerdict Verdict(Verdict verdict) => new(verdict.FalsePositive, verdict.FalseNegative, verdict.Explanation);

    private static StatusCheck Check(CheckState state)
    {
        var latest = state.Latest;
        return new StatusCheck(
            state.Probe,
            state.Interval.TotalSeconds,
            state.IsRunning,
            Interlocked.Read(ref state.Skipped),
            state.NotBefore,
            latest is null ? null : ResultJson.Project(latest),
            state.LastFailure is { } failure && !ReferenceEquals(failure, latest) ? ResultJson.Project(failure) : null,
            state.History.Select(o => o.Name()).ToList(),
            state.LatencyHistory);
    }
}

internal sealed record StatusDocument(string Version, DateTimeOffset GeneratedAt, SaturationSnapshot? Saturation, List<StatusTarget> Targets);

internal sealed record StatusTarget(string Name, StatusVerdict Verdict, StatusTls? Tls, List<StatusCheck> Checks);

internal sealed record StatusVerdict(bool FalsePositiveHealth, bool FalseNegativeHealth, string Explanation);

internal sealed record StatusTls(bool InsecureSkipVerify);

internal sealed record StatusCheck(
    string Probe,
    double IntervalSeconds,
    bool Running,
    long Skipped,
    DateTimeOffset? BackoffUntil,
    ResultView? Latest,
    ResultView? LastFailure,
    List<string> History,
    IReadOnlyList<double> LatencyHistoryMs);

/// <summary>What /healthz answers.</summary>
internal sealed record HealthzAnswer(string Status, string Detail);

/// <summary>
/// /status and /healthz serialized by generated code, fast path only: by reflection the first /status request
/// JIT-compiled about 740 methods (System.Text.Json's reflection metadata, Reflection.Emit accessors), resident from
/// then on (RSS, issue 15). Serialization only: the fast path has no async form (see <see cref="StatusReport.WriteAsync"/>).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(SaturationSnapshot))]
[JsonSerializable(typeof(StatusTarget))]
[JsonSerializable(typeof(HealthzAnswer))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
