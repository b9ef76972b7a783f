using Synthetic.StandIn;
using Synthetic.StandIn.Recognition;
using Synthetic.Tests.Support;

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
        Assert.Equal(RecognizerChoice.None, options.RecognizerKind);
    }

    [Fact]
    public void Parse_EveryOption_SetsOptionsAndInitialMode()
    {
        var options = StandInCommandLine.Parse(
            ["--urls", "http://127.0.0.1:0", "--fixtures=/tmp/clips", "--license-key", "sk_x", "--mode", "slow", "--delay-ms", "750", "--quiet",
             "--recognizer", "pocketsphinx"],
            TextWriter.Null);

        Assert.NotNull(options);
        Assert.Equal("http://127.0.0.1:0", options.Url);
        Assert.Equal("/tmp/clips", options.FixturesPath);
        Assert.Equal("sk_x", options.LicenseKey);
        Assert.True(options.Quiet);
        Assert.Equal(new StandInMode("slow", 750, 0), options.InitialMode);
        Assert.Equal(RecognizerChoice.PocketSphinx, options.RecognizerKind);
    }

    [Theory]
    [InlineData("--mode", "bogus", "--mode")]
    [InlineData("--delay-ms", "soon", "--delay-ms")]
    [InlineData("--retry-after-seconds", "-1", "--retry-after-seconds")]
    [InlineData("--colour", "blue", "--colour")]
    [InlineData("--recognizer", "vosk", "--recognizer")]
    [InlineData("--delay-ms", "99999999", "--delay-ms")]
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
        Assert.Contains("--urls", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Help_EveryOption_ListedWithADescription()
    {
        var help = StandInCommandLine.Help();

        foreach (var option in new[] { "--urls", "--fixtures", "--license-key", "--mode", "--delay-ms", "--retry-after-seconds", "--recognizer", "--quiet" })
        {
            var line = help.Split('\n').SingleOrDefault(l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal));
            Assert.True(line is not null, $"--help does not list {option}:\n{help}");
            Assert.True(line.Trim().Length > option.Length + 20, $"{option} has no description: '{line}'");
        }

        Assert.Contains("<none|pocketsphinx>", help, StringComparison.Ordinal);
        Assert.Contains(ModeNames.SilenceDecoder, help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exe_MisspeltOption_Exits2WithMessageAndNoStackTrace()
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "Synthetic.StandIn.dll");
        var result = await ExternalTool.RunAsync("dotnet", [exe, "--recogniser", "pocketsphinx"], timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--recogniser", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exe_Help_Exits0ListingTheRecognizer()
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "Synthetic.StandIn.dll");
        var result = await ExternalTool.RunAsync("dotnet", [exe, "--help"], timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--recognizer <none|pocketsphinx>", result.StandardOutput, StringComparison.Ordinal);
    }
}
