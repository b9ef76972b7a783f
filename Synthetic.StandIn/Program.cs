using Synthetic.StandIn;

return await StandInCommandLine.RunAsync(args);
