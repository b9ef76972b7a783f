using Synthetic.Hosting;

using var shutdown = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    shutdown.Cancel();
};
return await SyntheticApp.RunAsync(args, Console.Out, Console.Error, shutdown.Token);
