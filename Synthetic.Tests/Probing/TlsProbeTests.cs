using System.Text.Json;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Probing;

/// <summary>
/// Health probes of the stand-in serving https with certificates made by openssl: the chain is recorded, its
/// earliest notAfter exported, and every verification failure is a <c>tls</c> failure saying why.
/// </summary>
public sealed class TlsProbeTests(TlsCertificates certificates) : IClassFixture<TlsCertificates>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Health_CertificateFromCustomCa_SucceedsAndExportsItsNotAfter()
    {
        await using var standIn = await StartAsync("valid");
        await using var monitor = await TestMonitor.StartAsync(Config(standIn, ("CaFile", certificates.CaFile)));

        var result = await monitor.WaitForResultAsync("standin", "health", r => r.GetProperty("outcome").GetString() == "success", Wait, "success");

        var expected = certificates.NotAfter("valid").ToUnixTimeSeconds();
        Assert.Equal(expected, await monitor.MetricAsync("synthetic_tls_cert_expiry_timestamp_seconds", ("target", "standin")));
        var tls = result.GetProperty("tls");
        Assert.Equal(expected, tls.GetProperty("notAfter").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(JsonValueKind.Null, tls.GetProperty("problem").ValueKind);
        Assert.False(tls.GetProperty("insecureSkipVerify").GetBoolean());
        Assert.Contains("CN=localhost", tls.GetProperty("subject").GetString(), StringComparison.Ordinal);

        // The dashboard's TLS panel (which the real-stack test cannot fill: it probes http) reads this very series.
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(RepoPaths.Combine("dashboards", "synthetic.json")));
        var tlsQueries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.TryGetProperty("targets", out var t) ? t.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(t => t.GetProperty("expr").GetString()!)
            .Where(e => e.Contains("synthetic_tls_", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(tlsQueries);
        Assert.All(tlsQueries, q => Assert.Contains("synthetic_tls_cert_expiry_timestamp_seconds{target=~\"$target\"}", q, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("expired", true, "certificate expired: 'localhost' expired on 2024-02-01 00:00:00 UTC")]
    [InlineData("future", true, "certificate not yet valid: 'localhost' is valid from 2099-01-01 00:00:00 UTC")]
    [InlineData("self-signed", false, "untrusted root: 'localhost' is self-signed")]
    [InlineData("valid", false, "untrusted root: issuer CN=Synthetic Test CA is not a trusted CA")]
    [InlineData("wrong-name", true, "name mismatch: the certificate is for wrong.example, not 127.0.0.1")]
    public async Task Health_BadCertificate_FailsTlsSayingWhy(string certificate, bool trustCa, string why)
    {
        await using var standIn = await StartAsync(certificate);
        await using var monitor = await TestMonitor.StartAsync(trustCa ? Config(standIn, ("CaFile", certificates.CaFile)) : Config(standIn));

        var result = await monitor.WaitForResultAsync("standin", "health", r => r.GetProperty("outcome").GetString() == "failure", Wait, "failure");

        Assert.Equal("tls", result.GetProperty("reason").GetString());
        Assert.StartsWith("TLS: " + why, result.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(why, result.GetProperty("tls").GetProperty("problem").GetString(), StringComparison.Ordinal);
        // The expiry is exported even when the chain is refused: an expired certificate must reach the alert.
        Assert.Equal(certificates.NotAfter(certificate).ToUnixTimeSeconds(),
            await monitor.MetricAsync("synthetic_tls_cert_expiry_timestamp_seconds", ("target", "standin")));
        Assert.Equal(0, standIn.Stats.TotalRequests);
    }

    [Fact]
    public async Task Health_ServerNameMatchingTheCertificate_Succeeds()
    {
        await using var standIn = await StartAsync("wrong-name");
        await using var monitor = await TestMonitor.StartAsync(Config(standIn, ("CaFile", certificates.CaFile), ("ServerName", "wrong.example")));

        await monitor.WaitForResultAsync("standin", "health", r => r.GetProperty("outcome").GetString() == "success", Wait, "success");
    }

    [Fact]
    public async Task Health_InsecureSkipVerify_SucceedsButIsFlaggedWithTheProblem()
    {
        await using var standIn = await StartAsync("self-signed");
        await using var monitor = await TestMonitor.StartAsync(Config(standIn, ("InsecureSkipVerify", "true")));

        var result = await monitor.WaitForResultAsync("standin", "health", r => r.GetProperty("outcome").GetString() == "success", Wait, "success");

        var tls = result.GetProperty("tls");
        Assert.True(tls.GetProperty("insecureSkipVerify").GetBoolean());
        Assert.StartsWith("untrusted root", tls.GetProperty("problem").GetString(), StringComparison.Ordinal);
        var target = (await monitor.StatusAsync()).GetProperty("targets")[0];
        Assert.True(target.GetProperty("tls").GetProperty("insecureSkipVerify").GetBoolean());
    }

    private Task<StandInServer> StartAsync(string certificate) => StandInServer.StartAsync(new StandInOptions
    {
        Url = "https://127.0.0.1:0",
        FixturesPath = RepoPaths.Combine("fixtures", "audio"),
        CertificatePath = certificates.Cert(certificate),
        KeyPath = certificates.Key(certificate),
    });

    private static Dictionary<string, string?> Config(StandInServer standIn, params (string Key, string Value)[] tls)
    {
        var config = TestMonitor.FastConfig(standIn.BaseUrl);
        config["Synthetic:Targets:0:Health:Detailed"] = "false";
        config["Synthetic:Targets:0:Health:Components"] = string.Empty;
        foreach (var (key, value) in tls)
        {
            config["Synthetic:Targets:0:Tls:" + key] = value;
        }

        return config;
    }
}
