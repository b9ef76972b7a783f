using System.Runtime.InteropServices;

namespace Synthetic.StandIn;

/// <summary>The standalone exe: parse arguments, run until Ctrl+C or SIGTERM.</summary>
internal static class StandInCommandLine
{
    public const string Usage = """
        Synthetic.StandIn: a test double of the Smallest self-host API server (not the real service).
        usage: Synthetic.StandIn [--urls http://127.0.0.1:7100] [--fixtures DIR] [--license-key KEY]
                                 [--mode NAME] [--delay-ms N] [--retry-after-seconds N] [--quiet]
                                 [--cert FILE.pem --key FILE.pem]   (serve https; --urls https://...)
        modes:
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            Console.WriteLine(Usage + " " + string.Join(", ", ModeNames.All));
            return 0;
        }

        if (Parse(args) is not { } options)
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

    /// <summary>The options, or null after printing what is wrong.</summary>
    internal static StandInOptions? Parse(IReadOnlyList<string> args, TextWriter? errors = null)
    {
        errors ??= Console.Error;
        var options = new StandInOptions { Url = "http://127.0.0.1:7100", Quiet = false };
        string? mode = null;
        int delayMs = 0, retryAfterSeconds = 0;
        var problems = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal)
                ? (n, v)
                : (args[i], null);
            if (name == "--quiet")
            {
                options.Quiet = true;
                continue;
            }

            string? value = inlineValue;
            if (value is null && i + 1 < args.Count)
            {
                value = args[++i];
            }

            if (value is null)
            {
                problems.Add($"{name}: a value is required");
                continue;
            }

            switch (name)
            {
                case "--urls":
                    options.Url = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? value;
                    break;
                case "--fixtures":
                    options.FixturesPath = value;
                    break;
                case "--license-key":
                    options.LicenseKey = value;
                    break;
                case "--cert":
                    options.CertificatePath = value;
                    break;
                case "--key":
                    options.KeyPath = value;
                    break;
                case "--mode":
                    mode = value;
                    break;
                case "--delay-ms" when int.TryParse(value, out var d):
                    delayMs = d;
                    break;
                case "--retry-after-seconds" when int.TryParse(value, out var r):
                    retryAfterSeconds = r;
                    break;
                case "--delay-ms" or "--retry-after-seconds":
                    problems.Add($"{name}: '{value}' is not an integer");
                    break;
                default:
                    problems.Add($"{name}: unknown option");
                    break;
            }
        }

        var (initialMode, field, problem) = ModeRules.Normalize(mode ?? ModeNames.Healthy, delayMs, retryAfterSeconds);
        if (initialMode is null)
        {
            problems.Add($"--{(field == "mode" ? "mode" : field == "delayMs" ? "delay-ms" : "retry-after-seconds")}: {problem}");
        }

        if (problems.Count > 0)
        {
            foreach (var line in problems)
            {
                errors.WriteLine(line);
            }

            errors.WriteLine(Usage + " " + string.Join(", ", ModeNames.All));
            return null;
        }

        options.InitialMode = initialMode;
        return options;
    }
}
