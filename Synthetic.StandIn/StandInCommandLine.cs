using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using Synthetic.StandIn.Recognition;

namespace Synthetic.StandIn;

/// <summary>The standalone exe: parse arguments (System.CommandLine), run until Ctrl+C or SIGTERM.</summary>
internal static class StandInCommandLine
{
    public const string Description =
        "Synthetic.StandIn: a test double of the Smallest self-host API server (not the real service).";

    /// <summary>Parses and runs; exit 0 after a clean stop or --help, 2 for bad arguments or fixtures, 1 otherwise.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = Syntax.Create().Parse(args);
        if (parsed.Errors.Count == 0 && parsed.Action is not null)
        {
            // --help or --version (the root command itself has no action).
            return await parsed.InvokeAsync();
        }

        if (Read(parsed, Console.Error) is not { } options)
        {
            return 2;
        }

        using var stop = new CancellationTokenSource();
        void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            stop.Cancel();
        }

        Console.CancelKeyPress += OnCancelKeyPress;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        try
        {
            StandInServer server;
            try
            {
                server = await StandInServer.StartAsync(options, stop.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await Console.Error.WriteLineAsync("Synthetic.StandIn could not start: " + ex.Message);
                return ex is ArgumentException or FileNotFoundException or InvalidDataException ? 2 : 1;
            }

            await using (server)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // Ctrl+C or SIGTERM: stop cleanly.
                }
            }

            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKeyPress;
        }
    }

    /// <summary>The options, or null after printing what is wrong (and a pointer to --help).</summary>
    internal static StandInOptions? Parse(IReadOnlyList<string> args, TextWriter? errors = null) =>
        Read(Syntax.Create().Parse(args), errors ?? Console.Error);

    /// <summary>What <c>--help</c> prints.</summary>
    internal static string Help()
    {
        using var output = new StringWriter();
        Syntax.Create().Parse(["--help"]).Invoke(new InvocationConfiguration { Output = output });
        return output.ToString();
    }

    private static StandInOptions? Read(ParseResult parsed, TextWriter errors)
    {
        var syntax = (Syntax)parsed.RootCommandResult.Command;
        var problems = parsed.Errors.Select(Describe).ToList();
        StandInMode? initialMode = null;
        if (problems.Count == 0)
        {
            var (mode, field, problem) = ModeRules.Normalize(parsed.GetValue(syntax.Mode), parsed.GetValue(syntax.DelayMs),
                parsed.GetValue(syntax.RetryAfterSeconds));
            initialMode = mode;
            if (mode is null)
            {
                problems.Add($"--{(field == "mode" ? "mode" : field == "delayMs" ? "delay-ms" : "retry-after-seconds")}: {problem}");
            }
        }

        if (problems.Count > 0)
        {
            foreach (var line in problems)
            {
                errors.WriteLine(line);
            }

            errors.WriteLine("See Synthetic.StandIn --help.");
            return null;
        }

        var urls = parsed.GetValue(syntax.Urls)!;
        return new StandInOptions
        {
            Url = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? urls,
            FixturesPath = parsed.GetValue(syntax.Fixtures),
            LicenseKey = parsed.GetValue(syntax.LicenseKey),
            CertificatePath = parsed.GetValue(syntax.Certificate),
            KeyPath = parsed.GetValue(syntax.Key),
            Quiet = parsed.GetValue(syntax.Quiet),
            RecognizerKind = parsed.GetValue(syntax.Recognizer) == "pocketsphinx" ? RecognizerChoice.PocketSphinx : RecognizerChoice.None,
            InitialMode = initialMode,
        };
    }

    /// <summary>A parse error, prefixed with the option it concerns unless the message names it already.</summary>
    private static string Describe(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            OptionResult result => result.Option,
            ArgumentResult { Parent: OptionResult result } => result.Option,
            _ => null,
        };
        return option is null || error.Message.Contains(option.Name, StringComparison.Ordinal)
            ? error.Message
            : $"{option.Name}: {error.Message.Replace("\n\t", " ", StringComparison.Ordinal)}";
    }

    /// <summary>The options of the command line, each with its description for <c>--help</c>.</summary>
    private sealed class Syntax : RootCommand
    {
        private Syntax()
            : base(StandInCommandLine.Description)
        {
            Add(Urls);
            Add(Fixtures);
            Add(LicenseKey);
            Add(Certificate);
            Add(Key);
            Add(Mode);
            Add(DelayMs);
            Add(RetryAfterSeconds);
            Add(Recognizer);
            Add(Quiet);
        }

        public Option<string> Urls { get; } = new("--urls")
        {
            Description = "Address to listen on (plain http; port 0 picks a free port; the first of a ';' list).",
            HelpName = "url",
            DefaultValueFactory = _ => "http://127.0.0.1:7100",
        };

        public Option<string?> Fixtures { get; } = new("--fixtures")
        {
            Description = "Folder with manifest.json and its clips (default: fixtures/audio next to the executable).",
            HelpName = "dir",
        };

        public Option<string?> LicenseKey { get; } = new("--license-key")
        {
            Description = "When set, transcription requests must carry this key (Token or Bearer, per dialect).",
            HelpName = "key",
        };

        public Option<string?> Certificate { get; } = new("--cert")
        {
            Description = "PEM certificate to serve https with (needs --key and an https:// --urls).",
            HelpName = "file.pem",
        };

        public Option<string?> Key { get; } = new("--key")
        {
            Description = "PEM private key of --cert.",
            HelpName = "file.pem",
        };

        public Option<string> Mode { get; } = new("--mode")
        {
            Description = "Simulated behaviour from the first request: " + string.Join(", ", ModeNames.All) + ".",
            HelpName = "name",
            DefaultValueFactory = _ => ModeNames.Healthy,
        };

        public Option<int> DelayMs { get; } = new("--delay-ms")
        {
            Description = $"Delay of the slow modes, in milliseconds (0 = {ModeRules.DefaultDelayMs}).",
            HelpName = "ms",
        };

        public Option<int> RetryAfterSeconds { get; } = new("--retry-after-seconds")
        {
            Description = $"retry_after of rate-limited, unavailable and unhealthy, in seconds (0 = {ModeRules.DefaultRetryAfterSeconds}).",
            HelpName = "s",
        };

        public Option<string> Recognizer { get; } = CreateRecognizer();

        public Option<bool> Quiet { get; } = new("--quiet")
        {
            Description = "No request logging (the start line is always logged).",
        };

        public static Syntax Create() => new();

        private static Option<string> CreateRecognizer()
        {
            var option = new Option<string>("--recognizer")
            {
                Description = "What transcribes the audio: none (recognize fixture clips by hash, the default) or pocketsphinx " +
                              "(Debian's pocketsphinx, en-us model, transcribes for real).",
                HelpName = string.Join('|', Recognizers.Names),
                DefaultValueFactory = _ => "none",
            };
            option.AcceptOnlyFromAmong([.. Recognizers.Names]);
            return option;
        }
    }
}
