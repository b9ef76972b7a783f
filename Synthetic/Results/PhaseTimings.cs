namespace Synthetic.Results;

/// <summary>Per-phase timings of the last HTTP exchange, in seconds; null when the phase did not happen.</summary>
internal sealed record PhaseTimings(double? Dns, double? Connect, double? Tls, double? Request, double? Processing, double? Transfer)
{
    public static readonly PhaseTimings None = new(null, null, null, null, null, null);

    public IEnumerable<(string Phase, double Seconds)> Present()
    {
        if (Dns is { } dns) { yield return ("dns", dns); }
        if (Connect is { } connect) { yield return ("connect", connect); }
        if (Tls is { } tls) { yield return ("tls", tls); }
        if (Request is { } request) { yield return ("request", request); }
        if (Processing is { } processing) { yield return ("processing", processing); }
        if (Transfer is { } transfer) { yield return ("transfer", transfer); }
    }
}
