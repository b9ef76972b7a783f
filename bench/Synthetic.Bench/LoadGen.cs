using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Synthetic.Audio;
using Synthetic.Configuration;
using Synthetic.Checks.Health;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Checks.Transcription;

namespace Synthetic.Bench;

/// <summary>Live counters of a paced load.</summary>
internal sealed class LoadCounters
{
    private long _started;
    private long _completed;
    private long _ok;
    private long _dropped;

    public long Started => Interlocked.Read(ref _started);

    public long Completed => Interlocked.Read(ref _completed);

    public long Ok => Interlocked.Read(ref _ok);

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Start() => Interlocked.Increment(ref _started);

    public void Complete(bool ok)
    {
        if (ok)
        {
            Interlocked.Increment(ref _ok);
        }

        Interlocked.Increment(ref _completed);
    }

    public void Drop() => Interlocked.Increment(ref _dropped);
}

/// <summary>Sends requests at a fixed rate (open loop: a slow answer does not slow the schedule), bounded in time and in flight.</summary>
internal static class Pacer
{
    public static async Task RunAsync(double rate, TimeSpan duration, Func<long, CancellationToken, Task<bool>> send, int maxInFlight,
        LoadCounters counters, CancellationToken cancellationToken)
    {
        using var inFlight = new SemaphoreSlim(maxInFlight);
        var tasks = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        var total = (long)(rate * duration.TotalSeconds);
        while (sent < total && !cancellationToken.IsCancellationRequested)
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (elapsed > duration + TimeSpan.FromSeconds(5))
            {
                break;
            }

            var due = Math.Min(total, (long)(elapsed.TotalSeconds * rate) + 1);
            while (sent < due)
            {
                var index = sent++;
                if (!inFlight.Wait(0, CancellationToken.None))
                {
                    counters.Drop();
                    continue;
                }

                counters.Start();
                tasks.Add(Task.Run(async () =>
                {
                    var ok = false;
                    try
                    {
                        ok = await send(index, cancellationToken);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
                    {
                        ok = false;
                    }
                    finally
                    {
                        inFlight.Release();
                    }

                    counters.Complete(ok);
                }, CancellationToken.None));
            }

            if (tasks.Count > 4096)
            {
                tasks.RemoveAll(t => t.IsCompleted);
            }

            // Sleep until the next request is due (at least 1 ms): no busy loop that would cost the load's own CPU.
            var nextDue = TimeSpan.FromSeconds(sent / rate) - Stopwatch.GetElapsedTime(start);
            await Task.Delay(nextDue > TimeSpan.FromMilliseconds(1) ? nextDue : TimeSpan.FromMilliseconds(1), CancellationToken.None);
        }

        await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None));
    }
}

/// <summary>
/// Helper process: the bare .NET HTTP stack at the same rate as a scenario (a fresh connection per request),
/// to tell what the HTTP stack alone costs from what Synthetic adds. It measures its own CPU over the window
/// after the warm-up and prints one line <c>RESULT {json}</c>.
/// </summary>
internal static class LoadGen
{
    public static async Task<int> RunAsync(string url, string kind, string fixtures, double rate, double warmup, double window)
    {

        using var handler = new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false };
        using var client = new HttpMessageInvoker(handler);
        Func<long, CancellationToken, Task<bool>> send;
        if (kind == "canary")
        {
            var (library, errors) = ClipLibrary.Load(fixtures, new Dictionary<string, string> { ["quick-brown-fox"] = "bench" });
            if (library is null)
            {
                Console.Error.WriteLine(string.Join('\n', errors));
                return 2;
            }

            var clip = library["quick-brown-fox"];
            var baseUrl = new Uri(url.TrimEnd('/') + "/");
            var dialect = new DialectClient(TranscriptionDialects.Get(CanaryPlan.Default.Dialect), baseUrl, CanaryPlan.Default, null, [clip]);
            send = async (index, token) =>
            {
                using var request = dialect.CreateRequest(clip, "bench-" + index.ToString(CultureInfo.InvariantCulture));
                request.Headers.ConnectionClose = true;
                using var response = await client.SendAsync(request, token);
                var body = await response.Content.ReadAsByteArrayAsync(token);
                var answer = dialect.ReadAnswer(new HttpExchange((int)response.StatusCode, body, false, response.Headers, response.Content.Headers));
                return response.IsSuccessStatusCode && !string.IsNullOrEmpty(answer?.Text);
            };
        }
        else if (kind == "probe")
        {
            // Synthetic's own HealthProbe (Polly pipeline, connect callback, timing stream, JSON check), without the
            // scheduler, the host or the metrics: one probe object per check, as the monitor has.
            var health = HealthPlan.Default with { Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromMilliseconds(900), Detailed = false, Components = [] };
            var probes = Enumerable.Range(0, Math.Max(1, (int)rate))
                .Select(i => new HealthProbe("t" + i.ToString(CultureInfo.InvariantCulture), "health", new Uri(url), health, detailed: false,
                    reuseConnections: false, TimeProvider.System, new Redactor(null)))
                .ToArray();
            send = async (index, token) => (await probes[index % probes.Length].RunAsync(token)).Outcome == Outcome.Success;
        }
        else
        {
            var uri = new Uri(url);
            send = async (_, token) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                request.Headers.ConnectionClose = true;
                using var response = await client.SendAsync(request, token);
                var body = await response.Content.ReadAsByteArrayAsync(token);
                using var document = JsonDocument.Parse(body);
                return response.IsSuccessStatusCode && document.RootElement.GetProperty("status").GetString() == "healthy";
            };
        }

        var counters = new LoadCounters();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(warmup + window + 30));
        var load = Pacer.RunAsync(rate, TimeSpan.FromSeconds(warmup + window), send, 256, counters, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(warmup));
        var self = Process.GetCurrentProcess();
        self.Refresh();
        var cpu0 = self.TotalProcessorTime;
        var runtime0 = RuntimeCounters.Current();
        var tasks0 = TaskSample.Take(Environment.ProcessId);
        var done0 = counters.Completed;
        var ok0 = counters.Ok;
        await Task.Delay(TimeSpan.FromSeconds(window));
        self.Refresh();
        var cpu1 = self.TotalProcessorTime;
        var tasks1 = TaskSample.Take(Environment.ProcessId);
        var runtime1 = RuntimeCounters.Current();
        var done1 = counters.Completed;
        var ok1 = counters.Ok;
        await load;
        var result = new
        {
            cpuMs = (cpu1 - cpu0).TotalMilliseconds,
            completed = done1 - done0,
            ok = ok1 - ok0,
            dropped = counters.Dropped,
            workItems = runtime1.WorkItems - runtime0.WorkItems,
            allocatedBytes = runtime1.AllocatedBytes - runtime0.AllocatedBytes,
            switches = tasks1.Since(tasks0).Total,
            rssMb = ProcStat.RssMb(Environment.ProcessId),
        };
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
        return 0;
    }
}
