using Synthetic.StandIn;

namespace Synthetic.Tests.StandIn;

public sealed class StandInCommandLineTests
{
    [Fact]
    public void Parse_NoArguments_UsesTheSelfHostDefaultPortAndLogsRequests()
    {
        var options = StandInCommandLine.Parse([], TextWriter.Null);

        Assert.NotNull(options);
        Assert.Equal("http://127.0.0.1:7100", options.Url);
        Assert.False(options.Quiet);
        Assert.Null(options.LicenseKey);
        Assert.Equal(StandInMode.Healthy, options.InitialMode);
    }

    [Fact]
    public void Parse_EveryOption_SetsOptionsAndInitialMode()
    {
        var options = StandInCommandLine.Parse(
            ["--urls", "http://127.0.0.1:0", "--fixtures=/tmp/clips", "--license-key", "sk_x", "--mode", "slow", "--delay-ms", "750", "--quiet"],
            TextWriter.Null);

        Assert.NotNull(options);
        Assert.Equal("http://127.0.0.1:0", options.Url);
        Assert.Equal("/tmp/clips", options.FixturesPath);
        Assert.Equal("sk_x", options.LicenseKey);
        Assert.True(options.Quiet);
        Assert.Equal(new StandInMode("slow", 750, 0), options.InitialMode);
    }

    [Theory]
    [InlineData("--mode", "bogus", "--mode")]
    [InlineData("--delay-ms", "soon", "--delay-ms")]
    [InlineData("--retry-after-seconds", "-1", "--retry-after-seconds")]
    [InlineData("--colour", "blue", "--colour")]
    public void Parse_BadArgument_ReturnsNullAndNamesIt(string name, string value, string named)
    {
        using var errors = new StringWriter();

        var options = StandInCommandLine.Parse([name, value], errors);

        Assert.Null(options);
        Assert.Contains(named, errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OptionWithoutValue_ReturnsNull()
    {
        using var errors = new StringWriter();

        Assert.Null(StandInCommandLine.Parse(["--urls"], errors));
        Assert.Contains("--urls: a value is required", errors.ToString(), StringComparison.Ordinal);
    }
}
