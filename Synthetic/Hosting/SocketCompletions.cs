namespace Synthetic.Hosting;

/// <summary>
/// Whether the monitor runs socket completions inline, on the socket engine's own thread, instead of waking a
/// thread-pool thread for each one: ~25% less CPU per health probe (bench scenario 1, experiments). The runtime reads
/// the switch once, at the first socket use, so it is decided after the configuration is loaded and before the host
/// opens a socket. A single monitor keeps an explicit setting from the environment; a cluster node always turns it off.
/// Never in a cluster: Quartz's AdoJobStore reads columns synchronously (sequential access) inside async
/// continuations. Inline, such a continuation runs on the socket engine's thread, and its synchronous read waits for
/// an event only that blocked thread could deliver: the node froze until Npgsql's 30 s command timeout while holding
/// the cluster's trigger lock (bench scenario 6: two nodes ran 5,356 of 8,154 runs with 1,960 skipped; with
/// completions on the thread pool 8,247 of 8,187, none skipped).
/// </summary>
internal static class SocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// The value to set, or null to leave the environment as it is. A cluster node overrides even an explicit "1": the
    /// value is inherited by child processes (a test host that ran the run command in-process passed it on to the
    /// cluster nodes it started, and they froze).
    /// </summary>
    public static string? Choose(string? current, bool clustered) => clustered ? (current == "0" ? null : "0") : current is null ? "1" : null;

    /// <summary>Applies <see cref="Choose"/> to this process for the monitor about to start.</summary>
    public static void Apply(MonitorSetup setup)
    {
        if (Choose(Environment.GetEnvironmentVariable(Variable), setup.Plan.Cluster.Enabled) is { } value)
        {
            Environment.SetEnvironmentVariable(Variable, value);
        }
    }
}
