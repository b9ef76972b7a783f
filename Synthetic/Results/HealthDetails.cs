namespace Synthetic.Results;

/// <summary>What the detailed health view reported.</summary>
internal sealed record HealthDetails(IReadOnlyDictionary<string, bool> Components, double? UptimeSeconds, string? Version);
