using Synthetic.Configuration;
using Synthetic.Results;

namespace Synthetic.Probing;

/// <summary>What one exchange came to: the answer, or the reason and detail of why there was none.</summary>
internal sealed record ExchangeOutcome(HttpExchange? Answer, string? Reason, string Detail, int Attempts, TimeSpan Elapsed, PhaseTimings Phases);

/// <summary>
/// The skeleton every HTTP probe shares: attempts counted, the Polly pipeline (total timeout, retries on connection-level
/// errors only, attempt timeout), phases from socket events, every exception classified into a reason. Never throws,
/// except when the caller's token is cancelled (shutdown).
/// </summary>
internal sealed class ProbeExchange : IDisposable
{
    private readonly ProbeHttpClient _http;
    private readonly Polly.ResiliencePipeline _pipeline;
    private readonly TimeProvider _time;

    public ProbeExchange(TimeProvider time, bool reuseConnections, TimeSpan timeout, TimeSpan attemptTimeout, int retries, TlsPlan? tls = null)
    {
        _time = time;
        _http = new ProbeHttpClient(time, reuseConnections, tls);
        _pipeline = AttemptPipeline.For(timeout, attemptTimeout, retries, time);
    }

    /// <summary>The certificate chain of the last https handshake (kept while connections are reused); null for http.</summary>
    public TlsDetails? LastTls => _http.LastTls;

    /// <summary>Sends a request made by <paramref name="createRequest"/> (again for each attempt) and reads at most <paramref name="maxBodyBytes"/>.</summary>
    public async Task<ExchangeOutcome> SendAsync(Func<HttpRequestMessage> createRequest, int maxBodyBytes, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        var attempts = 0;
        try
        {
            var answer = await _pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    using var request = createRequest();
                    return await _http.ExchangeAsync(request, maxBodyBytes, token);
                },
                cancellationToken);
            return new ExchangeOutcome(answer, null, string.Empty, attempts, _time.GetElapsedTime(start), _http.LastPhases);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var (reason, detail) = FailureClassifier.Classify(ex);
            return new ExchangeOutcome(null, reason, detail, attempts, _time.GetElapsedTime(start), _http.LastPhases);
        }
    }

    public void Dispose() => _http.Dispose();
}
