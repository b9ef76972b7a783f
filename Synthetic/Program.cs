using Synthetic.Cli;

using var shutdown = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    shutdown.Cancel();
};
return await SyntheticCommandLine.RunAsync(args, Console.Out, Console.Error, shutdown.Token);
