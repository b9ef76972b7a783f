using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Synthetic.Web;

namespace Synthetic.Hosting;

/// <summary>The command line: run (default), demo, check. Exit codes: 0 ok, 1 checks failed, 2 bad configuration or arguments.</summary>
public static class SyntheticApp
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitBadConfiguration = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
        var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        try
        {
            switch (verb)
            {
                case "run":
                    return await RunMonitorAsync(rest, stdout, stderr, cancellationToken);
                case "check":
                    return await Cli.CheckCommand.RunAsync(rest, stdout, stderr, cancellationToken);
                case "demo":
                    return await Cli.DemoCommand.RunAsync(rest, stdout, stderr, cancellationToken);
                case "help":
                    await stdout.WriteLineAsync(Usage);
                    return ExitOk;
                default:
                    await stderr.WriteLineAsync($"synthetic: unknown command '{verb}'.\n{Usage}");
                    return ExitBadConfiguration;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitOk;
        }
    }

    internal const string Usage = """
        usage: synthetic [run] [--config FILE] [--Synthetic:Key=value ...]   run the monitor (default)
               synthetic demo [--seconds N]                                  stand-in + monitor + a fault timeline
               synthetic check [--target URL] [--json] [--wait 5m] [--strict]  run every check once; exit 0/1/2
        Configuration: appsettings.json, then --config FILE (or SYNTHETIC_CONFIG), then environment variables
        (Synthetic__Targets__0__BaseUrl=...), then --Synthetic:... arguments. See README.md.
        """;

    private static async Task<int> RunMonitorAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            await stdout.WriteLineAsync(Usage);
            return ExitOk;
        }

        var (app, errors) = CreateMonitor(args, overrides: null);
        if (app is null)
        {
            await WriteErrorsAsync(stderr, errors);
            return ExitBadConfiguration;
        }

        await using (app)
        {
            var setup = app.Services.GetRequiredService<MonitorSetup>();
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException ex) when (ex.InnerException is SocketException || ex.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
            {
                await stderr.WriteLineAsync($"synthetic: cannot listen on {setup.Options.Listen} (Synthetic:Listen): {ex.Message}");
                return ExitBadConfiguration;
            }

            await stdout.WriteLineAsync($"Synthetic {StatusReport.Version}: {setup.Options.Targets.Count} target(s), {setup.Checks.Count} checks; " +
                                        $"serving {setup.Options.Listen.TrimEnd('/')}/metrics, /status, /healthz");
            await app.WaitForShutdownAsync(cancellationToken);
        }

        return ExitOk;
    }

    internal static async Task WriteErrorsAsync(TextWriter stderr, IReadOnlyList<string> errors)
    {
        await stderr.WriteLineAsync($"synthetic: invalid configuration ({errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")}):");
        foreach (var error in errors)
        {
            await stderr.WriteLineAsync("  - " + error);
        }
    }

    /// <summary>
    /// Builds the monitor's web host from the layered configuration. Returns the errors instead of a host
    /// when the configuration is invalid. <paramref name="overrides"/> come last (tests, demo, check).
    /// </summary>
    internal static (WebApplication? App, IReadOnlyList<string> Errors) CreateMonitor(string[] args, IDictionary<string, string?>? overrides,
        TimeProvider? time = null, Action<WebApplicationBuilder>? configure = null)
    {
        time ??= TimeProvider.System;
        var (configArgs, configFile, argumentErrors) = SplitConfigArgument(args);
        if (argumentErrors.Count > 0)
        {
            return (null, argumentErrors);
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = configArgs,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var configError = AddConfigFile(builder.Configuration, configFile);
        if (configError is not null)
        {
            return (null, [configError]);
        }

        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        var (setup, errors) = SetupLoader.Load(builder.Configuration, time);
        if (setup is null)
        {
            return (null, errors);
        }

        builder.WebHost.UseUrls(setup.Options.Listen);
        builder.Services.AddSynthetic(setup, time);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseWebAccess(setup.Options.Web);
        app.MapSynthetic();
        return (app, []);
    }

    /// <summary>Plain configuration (no host) for commands that do not serve HTTP.</summary>
    internal static (IConfiguration? Configuration, IReadOnlyList<string> Errors) BuildConfiguration(string[] args, IDictionary<string, string?>? overrides)
    {
        var (configArgs, configFile, argumentErrors) = SplitConfigArgument(args);
        if (argumentErrors.Count > 0)
        {
            return (null, argumentErrors);
        }

        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        var configError = AddConfigFile(builder, configFile);
        if (configError is not null)
        {
            return (null, [configError]);
        }

        builder.AddEnvironmentVariables().AddCommandLine(configArgs);
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return (builder.Build(), []);
    }

    private static (string[] Args, string? ConfigFile, List<string> Errors) SplitConfigArgument(string[] args)
    {
        var errors = new List<string>();
        var rest = new List<string>();
        var file = Environment.GetEnvironmentVariable("SYNTHETIC_CONFIG");
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config")
            {
                if (i + 1 >= args.Length)
                {
                    errors.Add("--config: a file path is required.");
                }
                else
                {
                    file = args[++i];
                }
            }
            else if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                file = args[i]["--config=".Length..];
            }
            else if (!args[i].Contains('=', StringComparison.Ordinal) && !(args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length))
            {
                errors.Add($"{args[i]}: unexpected argument (configuration arguments look like --Synthetic:Listen=http://0.0.0.0:9190).");
            }
            else
            {
                rest.Add(args[i]);
                if (!args[i].Contains('=', StringComparison.Ordinal))
                {
                    rest.Add(args[++i]);
                }
            }
        }

        return ([.. rest], string.IsNullOrWhiteSpace(file) ? null : file, errors);
    }

    private static string? AddConfigFile(IConfigurationBuilder builder, string? file)
    {
        if (file is null)
        {
            return null;
        }

        if (!File.Exists(file))
        {
            return $"--config: file '{file}' does not exist.";
        }

        // After appsettings.json, before environment variables and arguments.
        var source = new JsonConfigurationSource { Path = Path.GetFullPath(file), Optional = false };
        source.ResolveFileProvider();
        var index = builder.Sources.Select((s, i) => (s, i)).LastOrDefault(x => x.s is JsonConfigurationSource).i;
        builder.Sources.Insert(Math.Min(index + 1, builder.Sources.Count), source);
        return null;
    }
}
