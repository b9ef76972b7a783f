using System.Net;
using System.Net.Sockets;
using System.Text;
using Synthetic.Audio;
using Synthetic.Checks;
using Synthetic.Checks.Health;
using Synthetic.Checks.Transcription;
using Synthetic.Configuration;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Checks;

/// <summary>
/// Answers a naive client mishandles, from a raw loopback server: a redirect is reported (http_3xx) by health and canary
/// alike, never followed; a server that answers with oversized headers is up (invalid_body), not a connection fault.
/// </summary>
public sealed class HostileAnswerTests
{
    private const string Redirect = "HTTP/1.1 302 Found\r\nLocation: http://elsewhere.example/moved?token=SECRET\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    private static readonly string HugeHeaders =
        "HTTP/1.1 200 OK\r\nX-Padding: " + new string('a', 200 * 1024) + "\r\nContent-Type: application/json\r\nContent-Length: 20\r\nConnection: close\r\n\r\n" +
        """{"status":"healthy"}""";

    public static TheoryData<string, bool, string> Answers => new()
    {
        { Redirect, false, Reasons.Http3xx },
        { Redirect, true, Reasons.Http3xx },
        { HugeHeaders, false, Reasons.InvalidBody },
        { HugeHeaders, true, Reasons.InvalidBody },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Run_HostileAnswer_ReasonNamesWhatTheServerDid(string answer, bool canary, string reason)
    {
        await using var server = RawServer.Start(answer);
        using var check = canary ? (IDisposable)Canary(server.Url) : Health(server.Url);

        var result = await ((ICheck)check).RunAsync(CancellationToken.None);

        Assert.Equal(Outcome.Failure, result.Outcome);
        Assert.Equal(reason, result.Reason);
        // Never followed: the one connection is the probe's own (no retry on a server that answered).
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Health_Redirect_DetailNamesTheLocationWithoutItsQuery()
    {
        await using var server = RawServer.Start(Redirect);
        using var probe = Health(server.Url);

        var result = await probe.RunAsync(CancellationToken.None);

        Assert.Equal(302, result.StatusCode);
        Assert.Contains("redirect to http://elsewhere.example/moved (not followed)", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_OversizedHeaders_DetailSaysHeadersTooLarge()
    {
        await using var server = RawServer.Start(HugeHeaders);
        using var probe = Health(server.Url);

        var result = await probe.RunAsync(CancellationToken.None);

        Assert.Contains("response headers larger than", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_NotHttpAtAll_InvalidBody()
    {
        await using var server = RawServer.Start("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        using var probe = Health(server.Url);

        var result = await probe.RunAsync(CancellationToken.None);

        Assert.Equal(Reasons.InvalidBody, result.Reason);
    }

    private static HealthProbe Health(Uri url) =>
        new("t", "health", new Uri(url, "health"), HealthPlan.Default with { Timeout = TimeSpan.FromSeconds(5) }, detailed: false,
            reuseConnections: false, TimeProvider.System, new Redactor(null));

    private static TranscriptionCanary Canary(Uri url)
    {
        var (clips, errors) = ClipLibrary.Load(RepoPaths.Combine("fixtures", "audio"), new Dictionary<string, string> { ["quick-brown-fox"] = "test" });
        Assert.Empty(errors);
        var plan = CanaryPlan.Default with { Retries = 0, Timeout = TimeSpan.FromSeconds(5), AttemptTimeout = TimeSpan.FromSeconds(5) };
        var target = new TargetPlan("t", url, null, new Dictionary<string, string>(), false, null, plan);
        return new TranscriptionCanary(target, plan, clips!, TimeProvider.System, new Redactor(null));
    }

    /// <summary>Answers every connection with the same bytes, after reading the request head.</summary>
    private sealed class RawServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly byte[] _answer;
        private readonly Task _loop;
        private int _connections;

        private RawServer(string answer)
        {
            _answer = Encoding.ASCII.GetBytes(answer);
            _listener.Start();
            _loop = AcceptAsync();
        }

        public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

        public int Connections => Volatile.Read(ref _connections);

        public static RawServer Start(string answer) => new(answer);

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    _ = AnswerAsync(client);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        private async Task AnswerAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var buffer = new byte[64 * 1024];
                    var head = new StringBuilder();
                    while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    await stream.WriteAsync(_answer, _stop.Token);
                    client.Client.Shutdown(SocketShutdown.Send);
                    // Drain what is left of the request (the canary's body) so closing does not reset the answer.
                    using var drain = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    drain.CancelAfter(TimeSpan.FromSeconds(2));
                    while (await stream.ReadAsync(buffer, drain.Token) > 0)
                    {
                    }
                }
                catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
                {
                    // The client went away: nothing to answer.
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop;
            _stop.Dispose();
        }
    }
}
