using Synthetic.Configuration;
using Synthetic.Probing;
using Synthetic.Results;

namespace Synthetic.Checks.Health;

/// <summary>GETs one health endpoint of a target (plain, detailed or a component) and judges the answer.</summary>
internal sealed class HealthProbe : ICheck, IDisposable
{
    internal const int MaxBodyBytes = 1024 * 1024;

    private readonly Uri _url;
    private readonly HealthPlan _plan;
    private readonly bool _detailed;
    private readonly ProbeExchange _exchange;
    private readonly Redactor _redactor;
    private readonly TimeProvider _time;

    public HealthProbe(string target, string probe, Uri url, HealthPlan plan, bool detailed, bool reuseConnections, TimeProvider time,
        Redactor redactor, TlsPlan? tls = null)
    {
        Target = target;
        Probe = probe;
        _url = url;
        _plan = plan;
        _detailed = detailed;
        _time = time;
        _redactor = redactor;
        _exchange = new ProbeExchange(time, reuseConnections, plan.Timeout, plan.Timeout, plan.Retries, tls);
    }

    public string Target { get; }

    public string Probe { get; }

    public TimeSpan Interval => _plan.Interval;

    public int Retries => _plan.Retries;

    public Uri Url => _url;

    public async Task<ProbeResult> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        var outcome = await _exchange.SendAsync(CreateRequest, MaxBodyBytes, cancellationToken);
        if (outcome.Answer is not { } answer)
        {
            return new ProbeResult(Target, Probe, Outcome.Failure, outcome.Reason, _redactor.Apply(outcome.Detail), startedAt, outcome.Elapsed,
                outcome.Attempts, null, outcome.Phases)
            {
                Tls = _exchange.LastTls,
            };
        }

        var verdict = Evaluate(answer);
        return new ProbeResult(Target, Probe, verdict.Outcome, verdict.Reason, _redactor.Apply(verdict.Detail), startedAt, outcome.Elapsed,
            outcome.Attempts, answer.StatusCode, outcome.Phases)
        {
            Health = verdict.Details,
            Tls = _exchange.LastTls,
        };
    }

    internal HealthEvaluator.Evaluation Evaluate(HttpExchange exchange) => HealthEvaluator.Evaluate(exchange, _plan.Expect, _detailed);

    private HttpRequestMessage CreateRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _url);
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }

    public void Dispose() => _exchange.Dispose();
}
