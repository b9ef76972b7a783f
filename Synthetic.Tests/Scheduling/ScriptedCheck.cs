using Synthetic.Checks;
using Synthetic.Results;

namespace Synthetic.Tests.Scheduling;

/// <summary>A check whose next result the test decides; counts its runs.</summary>
internal sealed class ScriptedCheck(string target, string probe, TimeProvider time, TimeSpan? interval = null) : ICheck
{
    public string Target => target;

    public string Probe => probe;

    public TimeSpan Interval => interval ?? TimeSpan.FromSeconds(15);

    public int Retries => 0;

    public int Runs;

    public Func<ScriptedCheck, Task<ProbeResult>> Next { get; set; } = c => Task.FromResult(c.Result(Outcome.Success));

    public ProbeResult Result(Outcome outcome, string? reason = null) =>
        new(target, probe, outcome, reason, "detail", time.GetUtcNow(), TimeSpan.FromMilliseconds(5), 1, 200, PhaseTimings.None);

    public Task<ProbeResult> RunAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Runs);
        return Next(this);
    }
}
