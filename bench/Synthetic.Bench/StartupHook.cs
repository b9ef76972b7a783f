using System.Runtime.InteropServices;
using Synthetic.Bench;

/// <summary>
/// Loaded into the shipped monitor by the bench (DOTNET_STARTUP_HOOKS=Synthetic.Bench.dll) so the runtime's own counters
/// (thread-pool work items, timers, allocations) of the real exe can be read without changing it: on SIGUSR1 it writes one
/// <c>RUNTIME {json}</c> line to stdout (the child's log). It costs nothing while no signal comes. The runtime requires this
/// name, in the global namespace.
/// </summary>
#pragma warning disable CA1050 // The startup hook contract: a type named StartupHook in the global namespace.
internal static class StartupHook
#pragma warning restore CA1050
{
    private const int SigUsr1 = 10;

    private static PosixSignalRegistration? s_registration;

    public static void Initialize()
    {
        s_registration = PosixSignalRegistration.Create((PosixSignal)SigUsr1, context =>
        {
            context.Cancel = true;
            Console.Out.WriteLine(RuntimeCounters.Current().ToLine());
            Console.Out.Flush();
        });
    }
}
