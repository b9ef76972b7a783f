using System.Text;

namespace Synthetic.Web;

/// <summary>
/// The status page: one self-contained HTML document (inline CSS and JS, no external assets) embedded in the
/// binary. Its Content-Security-Policy allows exactly its own inline script and style (by hash) and fetches
/// to the same origin, so even markup that slipped into the page could not run.
/// </summary>
internal sealed class StatusPage
{
    private StatusPage(byte[] html, string contentSecurityPolicy)
    {
        Html = html;
        ContentSecurityPolicy = contentSecurityPolicy;
    }

    public static StatusPage Status { get; } = Load("status");

    public static StatusPage Login { get; } = Load("login");

    public byte[] Html { get; }

    public string ContentSecurityPolicy { get; }

    private static StatusPage Load(string name)
    {
        var text = Read(name + ".html");
        // The hashes of its inline script (line 1) and style (line 2), computed at build time (Synthetic.csproj,
        // HashInlineSources): hashing here loaded OpenSSL into the monitor for two digests (issue 15).
        var sources = Read(name + ".csp").Split('\n');
        var policy = "default-src 'none'; " +
                     $"script-src {SourcesOrNone(sources[0])}; " +
                     $"style-src {SourcesOrNone(sources[1])}; " +
                     "connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        return new StatusPage(Encoding.UTF8.GetBytes(text), policy);
    }

    private static string SourcesOrNone(string sources) => sources.Length == 0 ? "'none'" : sources;

    private static string Read(string resource)
    {
        using var stream = typeof(StatusPage).Assembly.GetManifestResourceStream("Synthetic.Web." + resource)
                           ?? throw new InvalidOperationException($"embedded resource Synthetic.Web.{resource} is missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
