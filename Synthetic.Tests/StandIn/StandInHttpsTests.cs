using System.Net;
using Synthetic.StandIn;
using Synthetic.Tests.Probing;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.StandIn;

/// <summary>The stand-in serves https with a given PEM certificate and key (--cert/--key).</summary>
public sealed class StandInHttpsTests(TlsCertificates certificates) : IClassFixture<TlsCertificates>
{
    [Fact]
    public async Task StartAsync_CertAndKey_ServesHttpsWithThatCertificate()
    {
        await using var standIn = await StandInServer.StartAsync(new StandInOptions
        {
            Url = "https://127.0.0.1:0",
            FixturesPath = RepoPaths.Combine("fixtures", "audio"),
            CertificatePath = certificates.Cert("self-signed"),
            KeyPath = certificates.Key("self-signed"),
        });
        string? subject = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                subject = certificate?.Subject;
                return true;
            },
        };
        using var http = new HttpClient(handler);

        var response = await http.GetAsync(new Uri(standIn.BaseUrl, "/health"));

        Assert.Equal("https", standIn.BaseUrl.Scheme);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CN=localhost", subject);
    }

    [Fact]
    public async Task StartAsync_CertWithoutKey_IsRejected()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => StandInServer.StartAsync(new StandInOptions
        {
            Url = "https://127.0.0.1:0",
            FixturesPath = RepoPaths.Combine("fixtures", "audio"),
            CertificatePath = certificates.Cert("valid"),
        }));
        Assert.Contains("--cert and --key go together", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CertAndKey_SetsBoth()
    {
        var options = StandInCommandLine.Parse(["--urls", "https://127.0.0.1:7443", "--cert", "/tmp/c.pem", "--key", "/tmp/k.pem"], new StringWriter());

        Assert.NotNull(options);
        Assert.Equal(("/tmp/c.pem", "/tmp/k.pem"), (options.CertificatePath, options.KeyPath));
        Assert.Equal("https://127.0.0.1:7443", options.Url);
    }
}
