using Synthetic.Cli;
using Synthetic.Hosting;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Configuration;

/// <summary>Invalid configurations stop the process at start-up with exit code 2 and a message naming the key.</summary>
public sealed class ConfigurationValidationTests
{
    private const string T = "--Synthetic:Targets:0:";

    public static TheoryData<string[], string> InvalidConfigurations => new()
    {
        { [T + "BaseUrl="], "Synthetic:Targets:0:BaseUrl" },
        { [T + "BaseUrl=api-server:7100/health x"], "Synthetic:Targets:0:BaseUrl" },
        { [T + "BaseUrl=ftp://example.org"], "Synthetic:Targets:0:BaseUrl" },
        { [T + "Name=Prod Server"], "Synthetic:Targets:0:Name" },
        { [T + "Name=", T + "BaseUrl=http://127.0.0.1:1"], "Synthetic:Targets:0:Name" },
        { ["--Synthetic:Targets:1:Name=smallest", "--Synthetic:Targets:1:BaseUrl=http://127.0.0.1:2", T + "Name=smallest"], "duplicate target Name 'smallest'" },
        { [T + "Health:Timeout=20s", T + "Health:Interval=10s"], "Synthetic:Targets:0:Health:Timeout" },
        { [T + "Health:Interval=-00:00:05"], "Synthetic:Targets:0:Health:Interval" },
        { [T + "Health:Interval=soon"], "Synthetic:Targets:0:Health:Interval" },
        { [T + "LicenseKeyFile=/nonexistent/license.key"], "Synthetic:Targets:0:LicenseKeyFile" },
        { [T + "Health:Expect:Status=42"], "Synthetic:Targets:0:Health:Expect:Status" },
        { [T + "Health:Enabled=maybe"], "Synthetic:Targets:0:Health:Enabled" },
        { [T + "Health:Intervall=10s"], "Synthetic:Targets:0:Health:Intervall" },
        { [T + "Canary:Dialect=grpc"], "Synthetic:Targets:0:Canary:Dialect" },
        { [T + "Canary:Samples:0=no-such-clip"], "Synthetic:Targets:0:Canary:Samples:0" },
        { [T + "Canary:MaxWer=0.05", T + "Canary:DegradedWer=0.2"], "Synthetic:Targets:0:Canary:DegradedWer" },
        { [T + "Labels:job=x"], "Synthetic:Targets:0:Labels:job" },
        { [T + "Labels:bad-label=x"], "Synthetic:Targets:0:Labels:bad-label" },
        { [T + "Health:Components:0=Bad Name"], "Synthetic:Targets:0:Health:Components:0" },
        { ["--Synthetic:Listen=localhost"], "Synthetic:Listen" },
        { [T + "LicenseKey=abc", T + "LicenseKeyFile=/etc/hostname"], "Synthetic:Targets:0:LicenseKeyFile" },
        { [T + "Canary:Language=english"], "Synthetic:Targets:0:Canary:Language" },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigurations))]
    public async Task Run_InvalidConfiguration_ExitsTwoNamingKey(string[] args, string expectedInMessage)
    {
        var (exit, stdout, stderr) = await RunAsync(args);

        Assert.Equal(ExitCodes.BadConfiguration, exit);
        Assert.Contains(expectedInMessage, stderr, StringComparison.Ordinal);
        Assert.Contains("invalid configuration", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SeveralProblems_ListsEveryKeyInOneMessage()
    {
        var (exit, _, stderr) = await RunAsync([T + "BaseUrl=nope", T + "Health:Timeout=1m", T + "Health:Interval=30s", T + "Canary:Dialect=x"]);

        Assert.Equal(2, exit);
        Assert.Contains("Synthetic:Targets:0:BaseUrl", stderr, StringComparison.Ordinal);
        Assert.Contains("Synthetic:Targets:0:Health:Timeout", stderr, StringComparison.Ordinal);
        Assert.Contains("Synthetic:Targets:0:Canary:Dialect", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownCommand_ExitsTwo()
    {
        var stderr = new StringWriter();
        var exit = await SyntheticCommandLine.RunAsync(["frobnicate"], new StringWriter(), stderr);
        Assert.Equal(2, exit);
        Assert.Contains("unknown command 'frobnicate'", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ShortDurations_AreAccepted()
    {
        var config = new Dictionary<string, string?>
        {
            ["Synthetic:Targets:0:Name"] = "short",
            ["Synthetic:Targets:0:BaseUrl"] = "http://127.0.0.1:1",
            ["Synthetic:Targets:0:Health:Interval"] = "1m",
            ["Synthetic:Targets:0:Health:Timeout"] = "500ms",
            ["Synthetic:Targets:0:Canary:Enabled"] = "false",
        };
        var (app, errors) = SyntheticApp.CreateMonitor([], config);
        Assert.Empty(errors);
        Assert.NotNull(app);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task CreateMonitor_OnlyCanaryMaxLatencyOneSecond_Starts()
    {
        var config = new Dictionary<string, string?>
        {
            ["Synthetic:Listen"] = "http://127.0.0.1:0",
            ["Synthetic:FixturesPath"] = RepoPaths.Combine("fixtures", "audio"),
            ["Synthetic:Targets:0:Name"] = "latency",
            ["Synthetic:Targets:0:BaseUrl"] = "http://127.0.0.1:1",
            ["Synthetic:Targets:0:Canary:MaxLatency"] = "00:00:01",
        };
        var (app, errors) = SyntheticApp.CreateMonitor([], config);
        Assert.Empty(errors);
        Assert.NotNull(app);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Binary_InvalidConfiguration_ExitsTwoWithoutStackTrace()
    {
        var result = await ExternalTool.RunAsync("dotnet", [SyntheticBinary.Path, T + "BaseUrl=not a url"], timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Synthetic:Targets:0:BaseUrl", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Combined, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await SyntheticCommandLine.RunAsync(["run", "--Synthetic:Listen=http://127.0.0.1:0", .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
