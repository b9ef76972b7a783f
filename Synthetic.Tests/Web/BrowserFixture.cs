using Microsoft.Playwright;

namespace Synthetic.Tests.Web;

/// <summary>
/// One headless Debian chromium for the whole test run, driven by Playwright for .NET. Playwright's own browser
/// download (<c>playwright install</c>) is never used: the tests point it at the system's executable.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultChromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser did not start");

    /// <summary>Screenshots and measurements of the browser tests: TestResults/status-page/ in the test output folder.</summary>
    public static string ArtifactsFolder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "status-page")).FullName;

    public async Task InitializeAsync()
    {
        var chromium = FindChromium(Environment.GetEnvironmentVariable("SYNTHETIC_CHROMIUM"));
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        });
    }

    /// <summary>The chromium to drive (SYNTHETIC_CHROMIUM, else Debian's); a missing one fails every browser test saying how to install it.</summary>
    internal static string FindChromium(string? configured)
    {
        var chromium = configured is { Length: > 0 } ? configured : DefaultChromium;
        return File.Exists(chromium)
            ? chromium
            : throw new InvalidOperationException(
                $"chromium is not installed ({chromium} is missing). Install it with: apt-get update && apt-get install -y chromium " +
                "(./test.sh does this for you).");
    }

    /// <summary>A fresh context (cookies, storage) per test; light colours unless asked, a laptop-sized viewport.</summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1100, int height = 900, ColorScheme scheme = ColorScheme.Light) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
            ReducedMotion = ReducedMotion.Reduce,
        });

    public static string Artifact(string name) => Path.Combine(ArtifactsFolder, name);

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
