using Synthetic.Cli;
using Synthetic.Configuration;

namespace Synthetic.Tests.Configuration;

/// <summary>Synthetic:Web: a bad token setting stops the monitor with exit code 2 naming the key, never the token.</summary>
public sealed class WebValidatorTests : IDisposable
{
    private const string W = "--Synthetic:Web:";
    private const string Secret = "correct-horse-battery-staple-42";
    private readonly string _dir = Directory.CreateTempSubdirectory("synthetic-web-").FullName;

    public static TheoryData<string[], string> InvalidWebConfigurations => new()
    {
        { [W + "BearerToken=short"], "Synthetic:Web:BearerToken: the token is shorter than 16" },
        { [W + "BearerToken=has a space in the middle!"], "Synthetic:Web:BearerToken: the token must be printable ASCII" },
        { [W + "BearerTokenFile=/nonexistent/token"], "Synthetic:Web:BearerTokenFile: cannot read '/nonexistent/token' (no such file)" },
        { [W + "BearerToken=" + Secret, W + "BearerTokenFile=/etc/hostname"], "Synthetic:Web:BearerTokenFile: set either" },
        { [W + "ProtectMetrics=true"], "Synthetic:Web:ProtectMetrics: true needs BearerToken" },
        { [W + "ProtectMetrics=sometimes", W + "BearerToken=" + Secret], "Synthetic:Web:ProtectMetrics: 'sometimes'" },
        { [W + "Token=" + Secret], "Synthetic:Web:Token: unknown key" },
    };

    [Theory]
    [MemberData(nameof(InvalidWebConfigurations))]
    public async Task Run_InvalidWebSection_ExitsTwoNamingKey(string[] args, string expected)
    {
        var stderr = new StringWriter();
        var exit = await SyntheticCommandLine.RunAsync(
            ["run", "--Synthetic:Listen=http://127.0.0.1:0", "--Synthetic:Targets:0:BaseUrl=http://127.0.0.1:1", .. args], new StringWriter(), stderr);

        Assert.Equal(ExitCodes.BadConfiguration, exit);
        Assert.Contains(expected, stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TokenFile_ReadsAndTrimsIt()
    {
        var file = Path.Combine(_dir, "token");
        File.WriteAllText(file, Secret + "\n");
        var errors = new List<string>();

        var plan = WebValidator.Validate("Synthetic:Web", new WebOptions { BearerTokenFile = file, ProtectMetrics = true }, errors);

        Assert.Empty(errors);
        Assert.Equal(new WebPlan(Secret, ProtectMetrics: true), plan);
    }

    [Fact]
    public void Validate_EmptyTokenFile_IsAnError()
    {
        var file = Path.Combine(_dir, "empty");
        File.WriteAllText(file, "  \n");
        var errors = new List<string>();

        var plan = WebValidator.Validate("Synthetic:Web", new WebOptions { BearerTokenFile = file }, errors);

        Assert.Equal(WebPlan.Open, plan);
        Assert.Equal($"Synthetic:Web:BearerTokenFile: file '{file}' is empty.", Assert.Single(errors));
    }

    [Fact]
    public void Validate_NothingSet_LeavesThePagesOpen()
    {
        var errors = new List<string>();
        Assert.Equal(WebPlan.Open, WebValidator.Validate("Synthetic:Web", new WebOptions(), errors));
        Assert.Empty(errors);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
