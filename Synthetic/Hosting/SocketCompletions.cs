using System.Globalization;

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

    public const string ThreadsVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    /// <summary>The most socket engine threads when completions run inline, unless the environment says otherwise.</summary>
    public const int MaxInlineThreads = 4;

    /// <summary>
    /// The socket engine threads to set, or null to leave the environment as it is. Inline, the runtime starts one per
    /// core it sees: with 64 cores (<c>DOTNET_PROCESSOR_COUNT=64</c>) 64 threads and RSS with 200 checks at 1 s 100.1–100.3 MB
    /// against 96.2–97.0 MB with 2. Two handle more than 5,000 probes a second on this machine class.
    /// </summary>
    public static string? ChooseThreads(string? current, string? inline, int processors) =>
        inline == "1" && current is null ? Math.Clamp(processors, 1, MaxInlineThreads).ToString(CultureInfo.InvariantCulture) : null;

    /// <summary>Applies <see cref="Choose"/> and <see cref="ChooseThreads"/> to this process for the monitor about to start.</summary>
    public static void Apply(MonitorSetup setup)
    {
        if (Choose(Environment.GetEnvironmentVariable(Variable), setup.Plan.Cluster.Enabled) is { } value)
        {
            Environment.SetEnvironmentVariable(Variable, value);
        }

        if (ChooseThreads(Environment.GetEnvironmentVariable(ThreadsVariable), Environment.GetEnvironmentVariable(Variable), Environment.ProcessorCount) is { } threads)
        {
            Environment.SetEnvironmentVariable(ThreadsVariable, threads);
        }
    }
}
