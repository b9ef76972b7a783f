namespace Synthetic.Tests.Web;

public sealed class BrowserFixtureTests
{
    [Fact]
    public void FindChromium_Missing_FailsSayingHowToInstallIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BrowserFixture.FindChromium("/nonexistent/chromium"));
        Assert.Contains("apt-get install -y chromium", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindChromium_NotConfigured_IsDebiansChromium() =>
        Assert.Equal(BrowserFixture.DefaultChromium, BrowserFixture.FindChromium(null));
}
