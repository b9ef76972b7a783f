using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Synthetic.Configuration;

namespace Synthetic.Bench;

/// <summary>
/// Scenario 5: time to detect. Monitor (default intervals) → Prometheus (the shipped rules, the shipped scrape and
/// evaluation intervals) → Alertmanager (the shipped alertmanager.yml, only the webhook URL rewritten) → a webhook
/// receiver in the driver. The stand-in is switched to false-positive (health 200 healthy, transcription 500)
/// and every step of the way is timed.
/// </summary>
internal static partial class DetectScenario
{
    private const string Title = "5. Time to detect";
    private const string Scenario = "5 time to detect";
    private const string Alert = "SyntheticHealthFalsePositive";

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var section = context.Report.Section(Title);
        var folder = Path.Combine(options.Repo, "prometheus");
        var rulesFile = Path.Combine(folder, "rules.yml");
        var amFile = Path.Combine(folder, "alertmanager.yml");
        var promFile = Path.Combine(folder, "prometheus.yml");
        foreach (var file in new[] { rulesFile, amFile })
        {
            if (!File.Exists(file))
            {
                throw new BenchException($"{Path.GetRelativePath(options.Repo, file)} does not exist yet: scenario 5 needs the shipped rules and Alertmanager config");
            }
        }

        var rules = await File.ReadAllTextAsync(rulesFile, cancellationToken);
        var amConfig = await File.ReadAllTextAsync(amFile, cancellationToken);
        var promConfig = File.Exists(promFile) ? await File.ReadAllTextAsync(promFile, cancellationToken) : string.Empty;
        var forDuration = AlertFor(rules) ?? throw new BenchException($"rules.yml has no alert {Alert} with a for: duration");
        var groupWait = Match(GroupWaitPattern(), amConfig) ?? TimeSpan.FromSeconds(30);
        var scrape = Match(ScrapeIntervalPattern(), promConfig) ?? TimeSpan.FromMinutes(1);
        var evaluation = Match(EvaluationIntervalPattern(), promConfig) ?? TimeSpan.FromMinutes(1);
        var healthInterval = TimeSpan.FromSeconds(15);
        var canaryInterval = TimeSpan.FromMinutes(1);
        if (options.Quick)
        {
            // A smoke run of the plumbing: shorter intervals, the rules' own for: unchanged.
            (scrape, evaluation, healthInterval, canaryInterval) = (TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        }

        var received = new ConcurrentQueue<(string Name, string Status, long At)>();
        var webhookPort = context.FreePort();
        await using var webhook = await StartWebhookAsync(webhookPort, received, cancellationToken);

        var standIn = await StandInProcess.StartAsync(context, "s5-standin", cancellationToken);
        var blackbox = await Blackbox.StartAsync(context, "s5-blackbox", cancellationToken);
        MonitorProcess? monitor = null;
        Child? alertmanager = null, prometheus = null;
        try
        {
            var target = new Dictionary<string, object>
            {
                ["Name"] = "smallest",
                ["BaseUrl"] = standIn.BaseUrl.ToString().TrimEnd('/'),
                ["Health"] = new Dictionary<string, object>
                {
                    ["Interval"] = DurationParser.Format(healthInterval),
                    ["Timeout"] = DurationParser.Format(Min(TimeSpan.FromSeconds(5), healthInterval / 2)),
                },
                ["Canary"] = new Dictionary<string, object>
                {
                    ["Interval"] = DurationParser.Format(canaryInterval),
                    ["Timeout"] = DurationParser.Format(Min(TimeSpan.FromSeconds(30), canaryInterval / 2)),
                },
            };
            monitor = await MonitorProcess.StartAsync(context, "s5-synthetic", [target], cancellationToken);

            var amPort = context.FreePort();
            var amYaml = WebhookUrlPattern().Replace(amConfig, $"${{key}}'http://127.0.0.1:{webhookPort}/'", 1);
            if (amYaml == amConfig)
            {
                throw new BenchException("alertmanager.yml has no webhook `url:` to point at the driver's receiver");
            }

            var amConfigFile = context.TmpFile("alertmanager.yml");
            await File.WriteAllTextAsync(amConfigFile, amYaml, cancellationToken);
            alertmanager = Child.Start(context, "s5-alertmanager", "prometheus-alertmanager",
            [
                $"--config.file={amConfigFile}", $"--storage.path={context.TmpFile("am-data")}",
                $"--web.listen-address=127.0.0.1:{amPort}", "--cluster.listen-address=", "--log.level=warn",
            ]);
            await Ready.WaitAsync(context, alertmanager, new Uri($"http://127.0.0.1:{amPort}/-/ready"), TimeSpan.FromSeconds(30), cancellationToken);

            var promPort = context.FreePort();
            var promYaml = $"""
                global:
                  scrape_interval: {Seconds(scrape)}
                  evaluation_interval: {Seconds(evaluation)}
                rule_files:
                  - {rulesFile}
                alerting:
                  alertmanagers:
                    - static_configs:
                        - targets: ["127.0.0.1:{amPort}"]
                scrape_configs:
                  - job_name: synthetic
                    static_configs:
                      - targets: ["{monitor.BaseUrl.Authority}"]
                """;
            var promConfigFile = context.TmpFile("prometheus.yml");
            await File.WriteAllTextAsync(promConfigFile, promYaml, cancellationToken);
            prometheus = Child.Start(context, "s5-prometheus", "prometheus",
            [
                $"--config.file={promConfigFile}", $"--storage.tsdb.path={context.TmpFile("prom-data")}",
                $"--web.listen-address=127.0.0.1:{promPort}", "--log.level=warn",
            ]);
            var promUrl = new Uri($"http://127.0.0.1:{promPort}/");
            await Ready.WaitAsync(context, prometheus, new Uri(promUrl, "/-/ready"), TimeSpan.FromSeconds(60), cancellationToken);

            // Steady state first: Prometheus has seen a passing canary and no false positive.
            var steadyBy = Stopwatch.GetTimestamp();
            while (true)
            {
                if (Stopwatch.GetElapsedTime(steadyBy) > TimeSpan.FromMinutes(4))
                {
                    throw new BenchException("Prometheus never saw a passing canary within 4 min (monitor log: " + monitor.Child.Tail(5) + ")");
                }

                monitor.Child.EnsureRunning();
                prometheus.EnsureRunning();
                var canaryOk = await QueryAsync(context, promUrl, "synthetic_probe_success{probe=\"transcription\"} == 1", cancellationToken);
                var healthOk = await QueryAsync(context, promUrl, "synthetic_probe_success{probe=\"health\"} == 1", cancellationToken);
                var fp = await QueryAsync(context, promUrl, "synthetic_health_false_positive == 0", cancellationToken);
                if (canaryOk.Count > 0 && healthOk.Count > 0 && fp.Count > 0)
                {
                    break;
                }

                await Task.Delay(1000, cancellationToken);
            }

            var before = await monitor.ScrapeAsync(context, cancellationToken);
            var lastCanary = PromText.Single(before, "synthetic_probe_last_run_timestamp_seconds", l => l["probe"] == "transcription") ?? double.NaN;
            var sinceLastCanary = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 - lastCanary;
            BenchLog.Info($"steady state after {Stopwatch.GetElapsedTime(steadyBy).TotalSeconds:F0} s; injecting false-positive " +
                          $"({sinceLastCanary:F1} s after the last canary run)");
            await standIn.SetModeAsync(context, "false-positive", cancellationToken);
            var injected = Stopwatch.GetTimestamp();

            double? canaryFailed = null, verdict = null, scraped = null, pending = null, firing = null, notified = null;
            var limit = canaryInterval + scrape + (2 * evaluation) + forDuration + groupWait + TimeSpan.FromMinutes(2);
            while (notified is null && Stopwatch.GetElapsedTime(injected) < limit)
            {
                await Task.Delay(500, cancellationToken);
                var now = Stopwatch.GetElapsedTime(injected).TotalSeconds;
                if (canaryFailed is null || verdict is null)
                {
                    var m = await monitor.ScrapeAsync(context, cancellationToken);
                    if (canaryFailed is null && PromText.Single(m, "synthetic_probe_success", l => l["probe"] == "transcription") == 0)
                    {
                        canaryFailed = now;
                    }

                    if (verdict is null && PromText.Single(m, "synthetic_health_false_positive") == 1)
                    {
                        verdict = now;
                    }
                }

                if (scraped is null && (await QueryAsync(context, promUrl, "synthetic_health_false_positive == 1", cancellationToken)).Count > 0)
                {
                    scraped = now;
                }

                var alerts = await QueryAsync(context, promUrl, $"ALERTS{{alertname=\"{Alert}\"}}", cancellationToken);
                if (pending is null && alerts.Any(a => a.GetValueOrDefault("alertstate") is "pending" or "firing"))
                {
                    pending = now;
                }

                if (firing is null && alerts.Any(a => a.GetValueOrDefault("alertstate") == "firing"))
                {
                    firing = now;
                }

                if (received.Any(r => r.Name == Alert && r.Status == "firing"))
                {
                    var at = received.First(r => r.Name == Alert && r.Status == "firing").At;
                    notified = Stopwatch.GetElapsedTime(injected, at).TotalSeconds;
                }
            }

            // What an HTTP prober sees meanwhile: /health still answers 200 healthy.
            var bbText = await context.Http.GetStringAsync(blackbox.ProbeUrl(new Uri(standIn.BaseUrl, "/health"), "http_2xx"), cancellationToken);
            var bbSuccess = PromText.Single(PromText.Parse(bbText), "probe_success");
            var others = received.Select(r => $"{r.Name} ({r.Status})").Distinct().ToList();

            var best = forDuration + groupWait;
            var worst = canaryInterval + scrape + evaluation + forDuration + evaluation + groupWait;
            context.Report.Add(new Row(Scenario, $"false-positive injected → {Alert} at the webhook",
                notified is { } n ? $"{n:F0} s" : $"not within {limit.TotalSeconds:F0} s",
                bbSuccess == 1 ? "never (probe_success 1: /health stays 200 healthy)" : $"probe_success {bbSuccess}",
                string.Empty, $"expected {best.TotalSeconds:F0}–{worst.TotalSeconds:F0} s", Report.Met(notified is { } x ? x <= worst.TotalSeconds + 15 : false)));

            static string At(double? t) => t is { } v ? $"{v:F1} s" : "not seen";
            section.Add($"- Intervals{(options.Quick ? " (--quick: shortened)" : " (compose-like: the shipped prometheus.yml and the monitor's defaults)")}: " +
                        $"health {healthInterval.TotalSeconds:F0} s (+ detailed + components), canary {canaryInterval.TotalSeconds:F0} s, " +
                        $"scrape {scrape.TotalSeconds:F0} s, rule evaluation {evaluation.TotalSeconds:F0} s; rules.yml: `{Alert}` `for: {forDuration.TotalSeconds:F0}s`; " +
                        $"alertmanager.yml: `group_wait: {groupWait.TotalSeconds:F0}s` (only the webhook URL rewritten).");
            section.Add($"- Expected: at least `for` + `group_wait` = {best.TotalSeconds:F0} s; at most canary interval + scrape + evaluation + `for` + evaluation + `group_wait` " +
                        $"= {worst.TotalSeconds:F0} s. One trial: the fault was injected {sinceLastCanary:F1} s after the last canary run.");
            section.Add(string.Empty);
            section.Add("| step (time since the fault was injected) | seconds |");
            section.Add("|---|---:|");
            section.Add($"| monitor: a canary run fails (`synthetic_probe_success{{probe=\"transcription\"}}` 0) | {At(canaryFailed)} |");
            section.Add($"| monitor: `synthetic_health_false_positive` 1 | {At(verdict)} |");
            section.Add($"| Prometheus has scraped it | {At(scraped)} |");
            section.Add($"| alert pending | {At(pending)} |");
            section.Add($"| alert firing | {At(firing)} |");
            section.Add($"| Alertmanager → webhook notification | {At(notified)} |");
            section.Add(string.Empty);
            section.Add($"- Notifications received: {(others.Count == 0 ? "none" : string.Join(", ", others))}. " +
                        $"blackbox_exporter's http_2xx on the same /health during the fault: probe_success {bbSuccess} — an HTTP health prober cannot see this fault.");
        }
        finally
        {
            foreach (var child in new[] { prometheus, alertmanager, monitor?.Child, blackbox.Child, standIn.Child })
            {
                if (child is not null)
                {
                    await child.DisposeAsync();
                }
            }
        }
    }

    private static async Task<WebApplication> StartWebhookAsync(int port, ConcurrentQueue<(string, string, long)> received, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/", async (HttpContext http) =>
        {
            var at = Stopwatch.GetTimestamp();
            using var json = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            foreach (var alert in json.RootElement.GetProperty("alerts").EnumerateArray())
            {
                var name = alert.GetProperty("labels").TryGetProperty("alertname", out var n) ? n.GetString() ?? "?" : "?";
                var status = alert.TryGetProperty("status", out var s) ? s.GetString() ?? "?" : "?";
                received.Enqueue((name, status, at));
                BenchLog.Info($"webhook: {name} {status}");
            }

            return TypedResults.Ok();
        });
        await app.StartAsync(cancellationToken);
        return app;
    }

    /// <summary>Label sets of an instant query's result vector.</summary>
    private static async Task<List<Dictionary<string, string>>> QueryAsync(BenchContext context, Uri prometheus, string query, CancellationToken cancellationToken)
    {
        var text = await context.Http.GetStringAsync(new Uri(prometheus, "/api/v1/query?query=" + Uri.EscapeDataString(query)), cancellationToken);
        using var json = JsonDocument.Parse(text);
        var result = new List<Dictionary<string, string>>();
        foreach (var item in json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            result.Add(item.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal));
        }

        return result;
    }

    private static TimeSpan? AlertFor(string rules)
    {
        var at = rules.IndexOf("alert: " + Alert, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var next = rules.IndexOf("- alert:", at + 1, StringComparison.Ordinal);
        var block = next < 0 ? rules[at..] : rules[at..next];
        return Match(ForPattern(), block);
    }

    private static TimeSpan? Match(Regex pattern, string text)
    {
        var match = pattern.Match(text);
        return match.Success ? PromDuration(match.Groups[1].Value) : null;
    }

    /// <summary>A Prometheus duration such as 15s, 1m, 1m30s, 500ms.</summary>
    internal static TimeSpan PromDuration(string text)
    {
        var total = TimeSpan.Zero;
        foreach (Match part in DurationPartPattern().Matches(text))
        {
            var n = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                "d" => TimeSpan.FromDays(n),
                _ => TimeSpan.Zero,
            };
        }

        return total;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Seconds(TimeSpan value) => ((int)value.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";

    [GeneratedRegex(@"^\s*for:\s*(\S+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ForPattern();

    [GeneratedRegex(@"^\s*group_wait:\s*(\S+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex GroupWaitPattern();

    [GeneratedRegex(@"^\s*scrape_interval:\s*(\S+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ScrapeIntervalPattern();

    [GeneratedRegex(@"^\s*evaluation_interval:\s*(\S+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex EvaluationIntervalPattern();

    // The first `url:` key of a YAML line, not the word inside the file's comments.
    [GeneratedRegex(@"^(?<key>[ \t]*(?:-[ \t]*)?url:[ \t]*)['""]?[^'""\s]+['""]?", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex WebhookUrlPattern();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h|d)", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPartPattern();
}
