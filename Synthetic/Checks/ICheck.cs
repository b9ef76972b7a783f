using Synthetic.Results;

namespace Synthetic.Checks;

/// <summary>One scheduled check of one target (plain health, detailed health, a component, the transcription canary).</summary>
internal interface ICheck
{
    string Target { get; }

    /// <summary>The <c>probe</c> label: health, health_detailed, component_&lt;name&gt;, transcription.</summary>
    string Probe { get; }

    TimeSpan Interval { get; }

    /// <summary>Retries allowed per run (connection-level errors only).</summary>
    int Retries { get; }

    /// <summary>Runs once. Never throws: every outcome, including timeouts and garbage, becomes a result.</summary>
    Task<ProbeResult> RunAsync(CancellationToken cancellationToken);
}
