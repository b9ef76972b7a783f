using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Synthetic.Web;

/// <summary>
/// The status page: one self-contained HTML document (inline CSS and JS, no external assets) embedded in the
/// binary. Its Content-Security-Policy allows exactly its own inline script and style (by hash) and fetches
/// to the same origin, so even markup that slipped into the page could not run.
/// </summary>
internal sealed partial class StatusPage
{
    private StatusPage(byte[] html, string contentSecurityPolicy)
    {
        Html = html;
        ContentSecurityPolicy = contentSecurityPolicy;
    }

    public static StatusPage Status { get; } = Load("status.html");

    public static StatusPage Login { get; } = Load("login.html");

    public byte[] Html { get; }

    public string ContentSecurityPolicy { get; }

    private static StatusPage Load(string name)
    {
        using var stream = typeof(StatusPage).Assembly.GetManifestResourceStream("Synthetic.Web." + name)
                           ?? throw new InvalidOperationException($"embedded resource Synthetic.Web.{name} is missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = reader.ReadToEnd();
        var scripts = ScriptPattern().Matches(text).Select(m => $"'sha256-{Hash(m.Groups[1].Value)}'").ToList();
        var styles = StylePattern().Matches(text).Select(m => $"'sha256-{Hash(m.Groups[1].Value)}'").ToList();
        var policy = "default-src 'none'; " +
                     $"script-src {(scripts.Count == 0 ? "'none'" : string.Join(' ', scripts))}; " +
                     $"style-src {(styles.Count == 0 ? "'none'" : string.Join(' ', styles))}; " +
                     "connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        return new StatusPage(Encoding.UTF8.GetBytes(text), policy);
    }

    private static string Hash(string content) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex ScriptPattern();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex StylePattern();
}
