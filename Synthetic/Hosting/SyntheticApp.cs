using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Hosting;
using Synthetic.Metrics;
using Synthetic.Web;

namespace Synthetic.Hosting;

/// <summary>
/// Builds the monitor's web host (and, for commands that serve nothing, its configuration) from the layers:
/// appsettings.json, the config file, environment variables, configuration arguments, then overrides. The command
/// line (the Cli folder) decides which file and which arguments; nothing here parses a command line.
/// </summary>
public static class SyntheticApp
{
    /// <summary>
    /// What a connection buffers before a write waits: two of the exposition's largest buffers, so the next one is
    /// written while the last is sent. At Kestrel's default 64 KiB every 1 MiB write waited for its send (26 of a 67 ms
    /// scrape at 10,000 checks). Only a large response ever fills it.
    /// </summary>
    internal const long MaxWriteBufferSize = 2L * CheckSeriesSet.MaxBufferSize;

    /// <summary>
    /// Builds the monitor's web host. Returns the errors instead of a host when the configuration is invalid.
    /// <paramref name="configurationArgs"/> are .NET configuration arguments (<c>--Synthetic:Listen=…</c>);
    /// <paramref name="overrides"/> come last (tests, demo); <paramref name="configFile"/> comes after appsettings.json;
    /// <paramref name="loaded"/> sees the loaded setup before anything is built (process-wide switches).
    /// </summary>
    internal static (WebApplication? App, IReadOnlyList<string> Errors) CreateMonitor(string[] configurationArgs, IDictionary<string, string?>? overrides,
        TimeProvider? time = null, Action<WebApplicationBuilder>? configure = null, string? configFile = null, Action<MonitorSetup>? loaded = null)
    {
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = configurationArgs,
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

        loaded?.Invoke(setup);
        builder.WebHost.UseUrls(setup.Plan.Listen);
        builder.WebHost.UseSockets(sockets => sockets.MaxWriteBufferSize = MaxWriteBufferSize);
        builder.Services.AddSynthetic(setup, time);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseWebAccess(setup.Plan.Web);
        app.UseScrapePriority();
        app.MapSynthetic();
        return (app, []);
    }

    /// <summary>Plain configuration (no host) for commands that do not serve HTTP; same layers as <see cref="CreateMonitor"/>.</summary>
    internal static (IConfiguration? Configuration, IReadOnlyList<string> Errors) BuildConfiguration(string[] configurationArgs, string? configFile,
        IDictionary<string, string?>? overrides)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        var configError = AddConfigFile(builder, configFile);
        if (configError is not null)
        {
            return (null, [configError]);
        }

        builder.AddEnvironmentVariables().AddCommandLine(configurationArgs);
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return (builder.Build(), []);
    }

    private static string? AddConfigFile(IConfigurationBuilder builder, string? file)
    {
        if (string.IsNullOrWhiteSpace(file))
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
