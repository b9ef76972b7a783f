using System.Diagnostics;
using System.Text.Json;
using Synthetic.Configuration;

namespace Synthetic.Bench;

internal static class Ready
{
    /// <summary>Polls <paramref name="url"/> until it answers 2xx (bounded by <paramref name="timeout"/>); fails early if the child exits.</summary>
    public static async Task WaitAsync(BenchContext context, Child child, Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        string last = "no answer";
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            child.EnsureRunning();
            try
            {
                using var response = await context.Http.GetAsync(url, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = "HTTP " + (int)response.StatusCode;
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new BenchException($"{child.Name} not ready at {url} within {timeout.TotalSeconds:F0} s ({last}):\n{child.Tail()}");
    }
}

/// <summary>A helper server: its process and the loopback address it listens on.</summary>
internal abstract class ChildServer(Child child, int port)
{
    public Child Child { get; } = child;

    public Uri BaseUrl { get; } = new($"http://127.0.0.1:{port}/");
}

/// <summary>nginx serving the fixed health answer: one process (no master), no access log, on a free port.</summary>
internal sealed class Nginx(Child child, int port) : ChildServer(child, port)
{
    public Uri Health => new(BaseUrl, "/health");

    public static async Task<Nginx> StartAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var port = context.FreePort();
        var root = context.TmpFile("nginx");
        Directory.CreateDirectory(root);
        var config = $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            worker_rlimit_nofile 65536;
            error_log {{root}}/error.log warn;
            pid {{root}}/nginx.pid;
            events { worker_connections 8192; }
            http {
                access_log off;
                client_body_temp_path {{root}}/body;
                proxy_temp_path {{root}}/proxy;
                keepalive_timeout 15s;
                server {
                    listen 127.0.0.1:{{port}} backlog=4096;
                    location = /health { default_type application/json; return 200 '{"status":"healthy"}'; }
                    location / { default_type application/json; return 200 '{"status":"healthy"}'; }
                }
            }
            """;
        var file = Path.Combine(root, "nginx.conf");
        await File.WriteAllTextAsync(file, config, cancellationToken);
        var child = Child.Start(context, "nginx", "nginx", ["-e", Path.Combine(root, "error.log"), "-p", root, "-c", file]);
        var nginx = new Nginx(child, port);
        await Ready.WaitAsync(context, child, nginx.Health, TimeSpan.FromSeconds(20), cancellationToken);
        return nginx;
    }
}

/// <summary>prometheus-blackbox-exporter with an http prober module (it makes a new HTTP client, so a new connection, per probe).</summary>
internal sealed class Blackbox(Child child, int port) : ChildServer(child, port)
{
    public Uri ProbeUrl(Uri target, string module) =>
        new(BaseUrl, $"/probe?module={module}&target={Uri.EscapeDataString(target.ToString())}");

    /// <param name="environment">For the exporter's process, e.g. <c>GOMAXPROCS=1</c> (one thread running Go code at a time).</param>
    public static async Task<Blackbox> StartAsync(BenchContext context, string name, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = context.FreePort();
        var file = context.TmpFile("blackbox.yml");
        // http_2xx also checks the body like Synthetic does (Synthetic parses the JSON; a regex is blackbox's way).
        await File.WriteAllTextAsync(file, """
            modules:
              http_2xx:
                prober: http
                timeout: 5s
                http:
                  preferred_ip_protocol: ip4
                  ip_protocol_fallback: false
                  fail_if_body_not_matches_regexp:
                    - '"status"\s*:\s*"healthy"'
              http_2xx_plain:
                prober: http
                timeout: 5s
                http:
                  preferred_ip_protocol: ip4
                  ip_protocol_fallback: false
            """, cancellationToken);
        var child = Child.Start(context, name, "prometheus-blackbox-exporter",
            [$"--config.file={file}", $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"], environment);
        var blackbox = new Blackbox(child, port);
        await Ready.WaitAsync(context, child, new Uri(blackbox.BaseUrl, "/-/healthy"), TimeSpan.FromSeconds(20), cancellationToken);
        return blackbox;
    }
}

/// <summary>The monitor as shipped (Release build, its own appsettings.json), configured with a JSON file via --config.</summary>
internal sealed class MonitorProcess(Child child, int port) : ChildServer(child, port)
{
    public int Pid => Child.Pid;

    /// <summary>Time from process start to /healthz answering.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <param name="variant">Null: the shipped exe. Otherwise arguments of the driver's <c>monitor-variant</c> verb (the same monitor with one part swapped).</param>
    public static async Task<MonitorProcess> StartAsync(BenchContext context, string name, IReadOnlyList<object> targets,
        CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? variant = null,
        IReadOnlyDictionary<string, object>? settings = null)
    {
        var port = context.FreePort();
        var synthetic = new Dictionary<string, object>
        {
            ["Listen"] = $"http://127.0.0.1:{port}",
            ["FixturesPath"] = context.FixturesPath,
            ["Targets"] = targets,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, object>())
        {
            synthetic[key] = value;
        }

        var config = new Dictionary<string, object> { ["Synthetic"] = synthetic };
        var file = context.TmpFile(name + ".json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(config, JsonOptions), cancellationToken);
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<string> arguments = variant is null
            ? [context.SyntheticDll, "--config", file]
            // The shipped exe's runtime settings (GC, thread pool, JIT), so a variant differs from it only in the swapped part.
            : ["exec", "--runtimeconfig", Path.Combine(context.Options.App, "Synthetic.runtimeconfig.json"), BenchContext.BenchDll, "monitor-variant", "--config", file, .. variant];
        var child = Child.Start(context, name, "dotnet", arguments, environment);
        var monitor = new MonitorProcess(child, port);
        // A variant without Quartz has no scheduler for /healthz to report on: it is ready when it serves /metrics.
        await Ready.WaitAsync(context, child, new Uri(monitor.BaseUrl, variant is null ? "/healthz" : "/metrics"), TimeSpan.FromSeconds(60), cancellationToken);
        monitor.StartupTime = Stopwatch.GetElapsedTime(started);
        return monitor;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>A health-only target (no detailed view, no components, no canary): one probe per interval.</summary>
    public static object HealthTarget(string name, Uri baseUrl, TimeSpan interval, TimeSpan timeout) => new Dictionary<string, object>
    {
        ["Name"] = name,
        ["BaseUrl"] = baseUrl.ToString().TrimEnd('/'),
        ["Health"] = new Dictionary<string, object>
        {
            ["Interval"] = DurationParser.Format(interval),
            ["Timeout"] = DurationParser.Format(timeout),
            ["Detailed"] = false,
            ["Components"] = string.Empty,
        },
        ["Canary"] = new Dictionary<string, object> { ["Enabled"] = false },
    };

    public async Task<List<PromText.Sample>> ScrapeAsync(BenchContext context, CancellationToken cancellationToken)
    {
        Child.EnsureRunning();
        var text = await context.Http.GetStringAsync(new Uri(BaseUrl, "/metrics"), cancellationToken);
        return PromText.Parse(text);
    }
}

/// <summary>The stand-in ASR server as its own process, so its CPU is not counted as the monitor's.</summary>
internal sealed class StandInProcess(Child child, int port) : ChildServer(child, port)
{
    public static async Task<StandInProcess> StartAsync(BenchContext context, string name, CancellationToken cancellationToken)
    {
        var port = context.FreePort();
        var child = Child.Start(context, name, "dotnet",
            [context.StandInDll, "--urls", $"http://127.0.0.1:{port}", "--fixtures", context.FixturesPath, "--quiet"]);
        var standIn = new StandInProcess(child, port);
        await Ready.WaitAsync(context, child, new Uri(standIn.BaseUrl, "/_standin/mode"), TimeSpan.FromSeconds(60), cancellationToken);
        return standIn;
    }

    public async Task SetModeAsync(BenchContext context, string mode, CancellationToken cancellationToken)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { mode }), System.Text.Encoding.UTF8, "application/json");
        using var response = await context.Http.PostAsync(new Uri(BaseUrl, "/_standin/mode"), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchException($"stand-in refused mode '{mode}': {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
