using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Synthetic.StandIn.Recognition;
using Synthetic.StandIn.Streaming;

namespace Synthetic.StandIn;

/// <summary>
/// A test and demo double of Smallest AI's self-host API server with switchable faults. Never the product's
/// own path: it labels every answer with <c>X-Synthetic-StandIn: 1</c> and says what it is when it starts.
/// </summary>
public sealed class StandInServer : IAsyncDisposable
{
    /// <summary>Response header present on every answer of the stand-in.</summary>
    public const string MarkerHeader = "X-Synthetic-StandIn";

    private readonly WebApplication _app;
    private readonly StandInState _state;
    private readonly StreamingSetup _streaming;
    private readonly CancellationTokenSource _stopping;
    private readonly ILogger _logger;
    private readonly bool _quiet;
    private int _disposed;

    private StandInServer(WebApplication app, StandInState state, StreamingSetup streaming, CancellationTokenSource stopping, ILogger logger,
        bool quiet, Uri baseUrl)
    {
        _app = app;
        _state = state;
        _streaming = streaming;
        _stopping = stopping;
        _logger = logger;
        _quiet = quiet;
        BaseUrl = baseUrl;
    }

    /// <summary>The address actually bound, e.g. <c>http://127.0.0.1:41234</c> (loopback when bound to all interfaces).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The mode in force, with its defaults filled in.</summary>
    public StandInMode Mode => _state.Mode;

    /// <summary>Counters of what the stand-in has been asked (a snapshot).</summary>
    public StandInStats Stats => _state.Stats.Snapshot();

    /// <summary>Counters of the streaming side (a snapshot).</summary>
    public StreamStats StreamStats => _streaming.Stats.Snapshot();

    /// <summary>Starts the stand-in; throws if the URL is not a plain http address or the fixtures cannot be read.</summary>
    public static async Task<StandInServer> StartAsync(StandInOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var certificate = LoadCertificate(options);
        var (address, port) = ParseUrl(options.Url, https: certificate is not null);
        var fixturesPath = Path.GetFullPath(options.FixturesPath ?? FixtureCatalog.DefaultPath);
        var fixtures = FixtureCatalog.Load(fixturesPath);

        // Loaded once, before anything listens: a missing pocketsphinx stops the start with the package to install.
        var ownRecognizer = options.Recognizer is null ? Recognizers.Create(options.RecognizerKind) : null;
        var recognizer = options.Recognizer ?? ownRecognizer;
        var streaming = new StreamingSetup(PcmCatalog.Load(fixturesPath, fixtures.Clips), recognizer, options.StreamFirstPartialDelay);
        var stopping = new CancellationTokenSource();
        var state = new StandInState(fixtures, options, stopping.Token) { Recognizer = recognizer, OwnedRecognizer = ownRecognizer };
        if (options.InitialMode is { } initialMode)
        {
            state.SetMode(initialMode);
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(StandInServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter(Log.Category, LogLevel.Information);
        // In-process, the host that embeds the stand-in owns Ctrl+C; standalone, StandInCommandLine does.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        // Only the address given here: ignore ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS of the surrounding process.
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.Empty);
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, string.Empty);
        builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, string.Empty);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The stand-in enforces its own body cap (and answers 422 like the vendor); slow uploads are allowed.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Listen(address, port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Log.Category);
        var quiet = options.Quiet;
        app.Use((context, next) => LabelAndCountAsync(context, next, state, quiet ? null : logger));
        app.Use((context, next) => ModeMiddleware.InvokeAsync(context, state, next));
        app.UseWebSockets();
        HealthEndpoints.Map(app, state);
        TranscriptionEndpoints.Map(app, state);
        StreamingEndpoints.Map(app, state, streaming);
        ControlEndpoints.Map(app, state, streaming.Stats.Snapshot);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            stopping.Dispose();
            ownRecognizer?.Dispose();
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                    ?? throw new InvalidOperationException("Kestrel reported no bound address.");
        var server = new StandInServer(app, state, streaming, stopping, logger, options.Quiet, ClientUrl(bound));
        Log.Started(logger, server.BaseUrl, fixtures.Clips.Count, fixturesPath, state.Mode.Name,
            state.LicenseKey is null ? "not required" : "required", options.RecognizerKind);
        return server;
    }

    /// <summary>Switches the simulated behaviour; throws <see cref="ArgumentException"/> for an unknown mode.</summary>
    public void SetMode(StandInMode mode)
    {
        _state.SetMode(mode);
        if (!_quiet)
        {
            var current = _state.Mode;
            Log.ModeChanged(_logger, current.Name, current.DelayMs, current.RetryAfterSeconds);
        }
    }

    /// <summary>Simulates a restart of the server: <c>uptime_seconds</c> starts again from 0.</summary>
    public void Restart() => _state.Restart();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Release hanging, slow and endless answers first so shutdown does not wait for them.
        await _stopping.CancelAsync();
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
            _stopping.Dispose();
            // Only the one it loaded itself (--recognizer); an injected recognizer belongs to the caller.
            _state.OwnedRecognizer?.Dispose();
        }
    }

    /// <summary>Marks every answer as the stand-in's, counts it, and logs it unless quiet (<paramref name="logger"/> null).</summary>
    private static async Task LabelAndCountAsync(HttpContext context, RequestDelegate next, StandInState state, ILogger? logger)
    {
        context.Response.Headers[MarkerHeader] = "1";
        var path = context.Request.Path.Value is { Length: > 0 } value ? value : "/";
        if (ControlEndpoints.IsControlPath(context.Request.Path))
        {
            await next(context);
            return;
        }

        state.Stats.RecordRequest(path, context.Request.Headers["X-Request-ID"].ToString());
        if (logger is null)
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var outcome = context.RequestAborted.IsCancellationRequested ? "aborted" : context.Response.StatusCode.ToString(CultureInfo.InvariantCulture);
            Log.Request(logger, context.Request.Method, path, outcome, elapsedMs, state.Mode.Name);
        }
    }

    /// <summary>The https certificate of <c>--cert</c>/<c>--key</c>, or null for plain http.</summary>
    private static X509Certificate2? LoadCertificate(StandInOptions options)
    {
        if (options.CertificatePath is null && options.KeyPath is null)
        {
            return null;
        }

        if (options.CertificatePath is null || options.KeyPath is null)
        {
            throw new ArgumentException("--cert and --key go together (PEM certificate and its private key).", nameof(options));
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(options.CertificatePath, options.KeyPath);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"cannot load --cert {options.CertificatePath} with --key {options.KeyPath}: {ex.Message}", nameof(options), ex);
        }
    }

    private static (IPAddress Address, int Port) ParseUrl(string url, bool https)
    {
        BindingAddress binding;
        try
        {
            binding = BindingAddress.Parse(url);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"Url '{url}' is not a valid address: {ex.Message}", nameof(url), ex);
        }

        var scheme = https ? "https" : "http";
        if (!string.Equals(binding.Scheme, scheme, StringComparison.OrdinalIgnoreCase) || binding.IsUnixPipe || binding.Port < 0)
        {
            throw new ArgumentException(https
                ? $"Url '{url}' must be https://HOST:PORT when --cert and --key are given."
                : $"Url '{url}' must be http://HOST:PORT (https needs --cert and --key).", nameof(url));
        }

        var host = binding.Host;
        if (host is "*" or "+")
        {
            return (IPAddress.Any, binding.Port);
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            // 127.0.0.1 rather than Kestrel's localhost (both loopbacks), which cannot pick a free port.
            return (IPAddress.Loopback, binding.Port);
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address)
            ? (address, binding.Port)
            : throw new ArgumentException($"Url '{url}': host must be an IP address, localhost or *.", nameof(url));
    }

    private static Uri ClientUrl(string bound)
    {
        var uri = new Uri(bound);
        if (uri.Host is "0.0.0.0" or "[::]")
        {
            return new UriBuilder(uri) { Host = "127.0.0.1" }.Uri;
        }

        return uri;
    }

    /// <summary>A host lifetime that listens to no signals: whoever starts the stand-in decides when it stops.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
