using System.Net.Http.Headers;
using System.Text;
using Synthetic.Configuration;
using Synthetic.Checks.Health;
using Synthetic.Probing;
using Synthetic.Results;

namespace Synthetic.Tests.Health;

/// <summary>How a health answer is judged: the status code and the parsed JSON value, never a keyword match.</summary>
public sealed class HealthEvaluationTests
{
    private static HealthProbe CreateSut(HealthPlan? plan = null, bool detailed = false) =>
        new("t", detailed ? "health_detailed" : "health", new Uri("http://127.0.0.1:1/health"), plan ?? HealthPlan.Default, detailed,
            reuseConnections: false, TimeProvider.System, new Redactor(null));

    private static HttpExchange Answer(int status, string body, bool truncated = false)
    {
        using var response = new HttpResponseMessage();
        using var content = new ByteArrayContent([]);
        return new HttpExchange(status, Encoding.UTF8.GetBytes(body), truncated, response.Headers, content.Headers);
    }

    [Theory]
    [InlineData(200, """{"status":"healthy"}""", "success", null)]
    [InlineData(200, """{"status":"HEALTHY"}""", "success", null)]
    [InlineData(200, """{"status":"unhealthy"}""", "failure", "unhealthy")]
    [InlineData(200, """{"status":"not healthy at all, healthy"}""", "failure", "unhealthy")]
    [InlineData(503, """{"status":"unhealthy","reason":"No ASR workers available"}""", "failure", "unhealthy")]
    [InlineData(503, "Service Unavailable", "failure", "http_5xx")]
    [InlineData(200, "healthy", "failure", "invalid_body")]
    [InlineData(200, """{"state":"healthy"}""", "failure", "invalid_body")]
    [InlineData(200, """["healthy"]""", "failure", "invalid_body")]
    [InlineData(404, """{"error":"not found"}""", "failure", "http_4xx")]
    [InlineData(401, "", "failure", "auth")]
    [InlineData(204, "", "failure", "invalid_body")]
    public void Evaluate_PlainHealth_OutcomeAndReason(int status, string body, string outcome, string? reason)
    {
        using var sut = CreateSut();

        var result = sut.Evaluate(Answer(status, body));

        Assert.Equal(outcome, result.Outcome.Name());
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void Evaluate_Truncated_InvalidBody()
    {
        using var sut = CreateSut();
        Assert.Equal(Reasons.InvalidBody, sut.Evaluate(Answer(200, "", truncated: true)).Reason);
    }

    [Fact]
    public void Evaluate_DetailedComponentDown_FailsNamingComponent()
    {
        using var sut = CreateSut(detailed: true);

        var result = sut.Evaluate(Answer(200,
            """{"status":"healthy","components":{"api_server":"healthy","license_proxy":"unhealthy","redis":"healthy"},"uptime_seconds":86400,"version":"1.0.0"}"""));

        Assert.Equal(Reasons.Unhealthy, result.Reason);
        Assert.Contains("license_proxy", result.Detail, StringComparison.Ordinal);
        Assert.False(result.Details!.Components["license_proxy"]);
        Assert.True(result.Details.Components["redis"]);
        Assert.Equal(86400, result.Details.UptimeSeconds);
        Assert.Equal("1.0.0", result.Details.Version);
    }

    [Fact]
    public void Evaluate_DetailedHostileVersionAndComponentNames_NeverBecomeLabels()
    {
        using var sut = CreateSut(detailed: true);

        var result = sut.Evaluate(Answer(200,
            """{"status":"healthy","components":{"bad name\n{x}":"healthy","redis":"healthy"},"version":"1.0\"} evil"}"""));

        Assert.DoesNotContain("bad name\n{x}", result.Details!.Components.Keys);
        Assert.Equal("invalid", result.Details.Version);
    }

    [Fact]
    public void Evaluate_HealthzDialectContainsTrue_Success()
    {
        using var sut = CreateSut(HealthPlan.Default with { Expect = new ExpectPlan(200, "", null, "true") });

        Assert.Equal(Outcome.Success, sut.Evaluate(Answer(200, "true")).Outcome);
        Assert.Equal(Reasons.Unhealthy, sut.Evaluate(Answer(200, "false")).Reason);
    }

    [Fact]
    public void Evaluate_LightningAsrDialectStatusReady_Success()
    {
        using var sut = CreateSut(HealthPlan.Default with { Expect = ExpectPlan.Default with { EqualsValue = "ready" } });

        Assert.Equal(Outcome.Success, sut.Evaluate(Answer(200, """{"status":"ready","gpu":"NVIDIA A10"}""")).Outcome);
    }

    [Fact]
    public void Evaluate_NestedJsonPathBoolean_Compared()
    {
        using var sut = CreateSut(HealthPlan.Default with { Expect = new ExpectPlan(200, "license.valid", "true", null) });

        Assert.Equal(Outcome.Success, sut.Evaluate(Answer(200, """{"license":{"valid":true}}""")).Outcome);
        Assert.Equal(Reasons.Unhealthy, sut.Evaluate(Answer(200, """{"license":{"valid":false}}""")).Reason);
    }
}
