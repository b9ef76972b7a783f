using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Synthetic.Hosting;
using Synthetic.Metrics;

namespace Synthetic.Cli;

/// <summary><c>synthetic [run]</c>: the monitor, serving /metrics, /status and /healthz until stopped.</summary>
internal static class RunCommand
{
    /// <summary>Gives <paramref name="command"/> (the root, and <c>run</c>) the monitor's options and action.</summary>
    public static void Configure(Command command, TextWriter stdout, TextWriter stderr)
    {
        var config = ConfigurationArguments.CreateConfigOption();
        command.Options.Add(config);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parseResult, cancellationToken) => RunAsync(ConfigurationArguments.From(parseResult, config), stdout, stderr, cancellationToken));
    }

    private static async Task<int> RunAsync(ConfigurationArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var (app, errors) = SyntheticApp.CreateMonitor(arguments.Args, overrides: null, configure: AddProcessMemoryServices,
            configFile: arguments.ConfigFile, loaded: SocketCompletions.Apply);
        if (app is null)
        {
            await ConfigurationArguments.WriteErrorsAsync(stderr, errors);
            return ExitCodes.BadConfiguration;
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
                await stderr.WriteLineAsync($"synthetic: cannot listen on {setup.Plan.Listen} (Synthetic:Listen): {ex.Message}");
                return ExitCodes.BadConfiguration;
            }

            await stdout.WriteLineAsync($"Synthetic {StatusReport.Version}: {setup.Plan.Targets.Count} target(s), {setup.Checks.Count} checks; " +
                                        $"serving {setup.Plan.Listen.TrimEnd('/')}/metrics, /status, /healthz; {GcSummary()}; {NativeHeapTrim.Summary}");
            await stdout.WriteLineAsync(app.Services.GetRequiredService<StartupCollection>().Summary);
            await stdout.WriteLineAsync(await WarmUpAsync(app.Services.GetRequiredService<SyntheticMetrics>(), cancellationToken));
            await app.WaitForShutdownAsync(cancellationToken);
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// The monitor process collects its start-up garbage before its first run (<see cref="StartupCollection"/>): registered
    /// after every other hosted service; and it trims its C heap (<see cref="NativeHeapTrim"/>). Not for monitors hosted
    /// in another process (tests, <c>demo</c>), whose heaps are not the monitor's.
    /// </summary>
    internal static void AddProcessMemoryServices(WebApplicationBuilder builder) =>
        builder.Services.AddHostedService<NativeHeapTrim>()
            .AddSingleton<StartupCollection>().AddHostedService(services => services.GetRequiredService<StartupCollection>());

    /// <summary>
    /// Renders the exposition once, to nowhere, so the first scrape runs compiled code (10,000 checks × 15 s: the first
    /// scrape took 156–172 ms without this, 82–142 with it), and says how large it is, for Prometheus's body_size_limit.
    /// </summary>
    internal static async Task<string> WarmUpAsync(SyntheticMetrics metrics, CancellationToken cancellationToken)
    {
        var sink = new Discard();
        var clock = Stopwatch.StartNew();
        try
        {
            await metrics.ExportAsync(sink, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return "/metrics: not rendered (stopping)";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"/metrics: {sink.Length / 1024.0:0.0} KiB before the first results (rendered in {clock.ElapsedMilliseconds} ms)");
    }

    /// <summary>The GC settings in force, as the runtime read them (the shipped runtimeconfig.json caps the gen0 budget: see README, Resources).</summary>
    internal static string GcSummary()
    {
        var variables = GC.GetConfigurationVariables();
        long Read(string name) => variables.TryGetValue(name, out var value) ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;
        var (budget, conserve, region) = (Read("GCGen0MaxBudget"), Read("GCConserveMem"), Read("GCRegionSize"));
        var kind = System.Runtime.GCSettings.IsServerGC ? "server" : "workstation";
        return (budget > 0 ? $"GC {kind}, gen0 budget <= {budget / 1024} KiB" : $"GC {kind}, gen0 budget from the cache size") +
               (conserve > 0 ? $", conserve memory {conserve}" : string.Empty) +
               (region > 0 ? $", regions of {region / 1024} KiB" : string.Empty);
    }

    /// <summary>A stream that keeps nothing and counts what was written.</summary>
    private sealed class Discard : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
