using Synthetic.Bench;

// The benchmark driver. bench/run.sh builds it and runs `all`; the other verbs are helper processes the
// driver starts itself (so their CPU is measured apart from the driver's).
// As the shipped monitor does (Synthetic/Program.cs), before any socket is opened.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

return await BenchCommandLine.RunAsync(args);
