using Synthetic.StandIn;
using Synthetic.Tests.Probing;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Web;

/// <summary>The page shows an https target's certificate expiry, and flags a target whose certificate is not verified.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StatusPageTlsTests(BrowserFixture browser, TlsCertificates certificates) : IClassFixture<TlsCertificates>
{
    [Fact]
    public async Task Page_InsecureSkipVerify_FlagsTheTargetAndShowsExpiryAndProblem()
    {
        await using var standIn = await StandInServer.StartAsync(new StandInOptions
        {
            Url = "https://127.0.0.1:0",
            FixturesPath = RepoPaths.Combine("fixtures", "audio"),
            CertificatePath = certificates.Cert("self-signed"),
            KeyPath = certificates.Key("self-signed"),
        });
        var config = TestMonitor.FastConfig(standIn.BaseUrl);
        config["Synthetic:Targets:0:Tls:InsecureSkipVerify"] = "true";
        await using var monitor = await TestMonitor.StartAsync(config);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(monitor.BaseUrl.ToString());
        await page.WaitForSelectorAsync("[data-field=tls-expiry]", new() { Timeout = 20_000 });

        var notAfter = certificates.NotAfter("self-signed").ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith(notAfter, await page.Locator("[data-field=tls-expiry]").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("InsecureSkipVerify", await page.Locator("[data-field=insecure]").TextContentAsync(), StringComparison.Ordinal);
        Assert.StartsWith("untrusted root", await page.Locator("[data-field=tls-problem]").TextContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = BrowserFixture.Artifact("tls-insecure.png"), FullPage = true });
    }
}
