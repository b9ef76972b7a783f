using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Synthetic.Web;

namespace Synthetic.Tests.Web;

/// <summary>The pages' Content-Security-Policy, whose hashes the build computes (Synthetic.csproj, HashInlineSources).</summary>
public sealed class StatusPageTests
{
    [Theory]
    [InlineData("status")]
    [InlineData("login")]
    public void ContentSecurityPolicy_NamesTheSha256OfEachInlineScriptAndStyle(string name)
    {
        var page = name == "status" ? StatusPage.Status : StatusPage.Login;
        var html = Encoding.UTF8.GetString(page.Html);

        Assert.Equal(Expected(html, "script"), Directive(page.ContentSecurityPolicy, "script-src"));
        Assert.Equal(Expected(html, "style"), Directive(page.ContentSecurityPolicy, "style-src"));
    }

    [Fact]
    public void ContentSecurityPolicy_StatusPage_AllowsItsOneScriptAndOneStyleOnly()
    {
        var policy = StatusPage.Status.ContentSecurityPolicy;

        Assert.Single(Directive(policy, "script-src"));
        Assert.Single(Directive(policy, "style-src"));
        Assert.Equal(["'none'"], Directive(policy, "default-src"));
    }

    private static string[] Expected(string html, string tag)
    {
        var hashes = Regex.Matches(html, $"<{tag}>(.*?)</{tag}>", RegexOptions.Singleline)
            .Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'")
            .ToArray();
        return hashes.Length == 0 ? ["'none'"] : hashes;
    }

    private static string[] Directive(string policy, string name) =>
        policy.Split(';', StringSplitOptions.TrimEntries)
            .Single(d => d.StartsWith(name + ' ', StringComparison.Ordinal))[(name.Length + 1)..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
