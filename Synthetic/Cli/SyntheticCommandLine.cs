using System.CommandLine;
using System.CommandLine.Help;

namespace Synthetic.Cli;

/// <summary>
/// The command line: the monitor (default, or <c>run</c>), <c>check</c>, <c>calibrate</c>, <c>demo</c>, <c>help</c>. Exit codes: 0 ok,
/// 1 checks failed, 2 bad configuration or arguments. Output goes to the given writers, never to the console directly.
/// </summary>
public static class SyntheticCommandLine
{
    private const string Description = """
        Synthetic end-to-end monitor for speech-to-text services. Without a command it runs the monitor.
        Configuration: appsettings.json, then --config FILE (or SYNTHETIC_CONFIG), then environment variables
        (Synthetic__Targets__0__BaseUrl=...), then --Synthetic:Key=value (or --Synthetic:Key value) arguments. See README.md.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = CreateRootCommand(stdout, stderr);

        // No response files: a configuration value may start with '@'.
        var parseResult = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parseResult.Action is HelpAction)
        {
            return await WriteHelpAsync(parseResult, stdout, stderr);
        }

        var errors = ArgumentErrors.Of(parseResult, args);
        if (errors.Count > 0)
        {
            var command = CommandPath(parseResult);
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync($"{command}: {error}");
            }

            await stderr.WriteLineAsync($"Run '{command} --help' for the options.");
            return ExitCodes.BadConfiguration;
        }

        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,

            // The host handles Ctrl+C and SIGTERM itself (Program.cs, the host's lifetime).
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parseResult.InvokeAsync(invocation, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
    }

    private static Command CreateRootCommand(TextWriter stdout, TextWriter stderr)
    {
        var root = new Command("synthetic", Description);
        root.Options.Add(new HelpOption { Recursive = true });
        root.Options.Add(new VersionOption());
        RunCommand.Configure(root, stdout, stderr);

        var run = new Command("run", "Run the monitor (the default when no command is given).");
        RunCommand.Configure(run, stdout, stderr);
        root.Subcommands.Add(run);
        root.Subcommands.Add(CheckCommand.Create(stdout, stderr));
        root.Subcommands.Add(CalibrateCommand.Create(stdout, stderr));
        root.Subcommands.Add(DemoCommand.Create(stdout, stderr));

        var help = new Command("help", "Show this help.");
        help.SetAction(_ => WriteHelpAsync(root.Parse(["--help"]), stdout, stderr));
        root.Subcommands.Add(help);
        return root;
    }

    /// <summary>
    /// The default help, with the configuration arguments in place of its generic "additional arguments" text (its
    /// help layout cannot be customised from outside in 3.0; in another UI language the generic text stays).
    /// </summary>
    private static async Task<int> WriteHelpAsync(ParseResult parseResult, TextWriter stdout, TextWriter stderr)
    {
        var text = new StringWriter();
        var exit = await parseResult.InvokeAsync(new InvocationConfiguration { Output = text, Error = stderr, ProcessTerminationTimeout = null });
        await stdout.WriteAsync(text.ToString()
            .Replace("[[--] <additional arguments>...]]", "[--Synthetic:Key=value ...]", StringComparison.Ordinal)
            .Replace("""
                Additional Arguments:
                  Arguments passed to the application that is being run.
                """, """
                Configuration arguments:
                  --Synthetic:Key=value, --Synthetic:Key value  Any configuration key, applied after the file and the environment
                                                                (e.g. --Synthetic:Listen=http://0.0.0.0:9190). See README.md.
                """, StringComparison.Ordinal));
        return exit;
    }

    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names);
    }
}
