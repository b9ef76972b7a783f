namespace Synthetic.Results;

/// <summary>Per-phase timings of the last HTTP exchange, in seconds; null when the phase did not happen.</summary>
internal sealed record PhaseTimings(double? Dns, double? Connect, double? Tls, double? Request, double? Processing, double? Transfer)
{
    public static readonly PhaseTimings None = new(null, null, null, null, null, null);

    /// <summary>The phases' names (the <c>phase</c> label and the status JSON's keys), in order: index <c>i</c> is <c>this[i]</c>.</summary>
    public static readonly string[] Names = ["dns", "connect", "tls", "request", "processing", "transfer"];

    /// <summary>The phase named <c>Names[index]</c>.</summary>
    public double? this[int index] => index switch
    {
        0 => Dns,
        1 => Connect,
        2 => Tls,
        3 => Request,
        4 => Processing,
        5 => Transfer,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "a phase index is 0 to 5"),
    };

    public IEnumerable<(string Phase, double Seconds)> Present()
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (this[i] is { } seconds)
            {
                yield return (Names[i], seconds);
            }
        }
    }
}
