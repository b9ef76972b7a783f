using System.Text.Json;
using System.Text.RegularExpressions;
using Synthetic.Cli;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cli;

public sealed partial class SyntheticCommandLineTests
{
    public static TheoryData<string[], string[]> VerbOptions => new()
    {
        { ["--help"], ["--config", "--help", "--version"] },
        { ["run", "--help"], ["--config", "--help"] },
        { ["check", "--help"], ["--target", "--json", "--wait", "--strict", "--license-key-file", "--dialect", "--sample", "--config", "--help"] },
        { ["demo", "--help"], ["--seconds", "--recognizer", "--help"] },
        { ["calibrate", "--help"], ["--target", "--runs", "--out", "--license-key-file", "--dialect", "--sample", "--config", "--help"] },
        { ["check", "-h"], ["--wait"] },
    };

    [Theory]
    [MemberData(nameof(VerbOptions))]
    public async Task Help_EachVerb_ListsEveryOptionWithDescription(string[] args, string[] options)
    {
        var (exit, stdout, stderr) = await RunAsync(args);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Empty(stderr);
        var described = OptionRow().Matches(stdout).Select(m => m.Groups["name"].Value).ToHashSet();
        Assert.All(options, option => Assert.Contains(option, described));
    }

    [Fact]
    public async Task Help_Verbs_ListsCommandsAndConfigurationArguments()
    {
        var (exit, stdout, _) = await RunAsync("help");

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.All(["run", "check", "calibrate", "demo"], verb => Assert.Matches($@"(?m)^  {verb}\s+\S", stdout));
        Assert.Contains("--Synthetic:Key=value", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Additional Arguments", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_MisspeltOption_ExitsTwoNamingItAndTheNearestOption()
    {
        var (exit, stdout, stderr) = await RunAsync("check", "--wiat", "5m");

        Assert.Equal(ExitCodes.BadConfiguration, exit);
        Assert.Empty(stdout);
        Assert.Contains("unknown option '--wiat'", stderr, StringComparison.Ordinal);
        Assert.Contains("did you mean '--wait'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected argument '5m'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run", "--verbose")]
    [InlineData("demo", "--Synthetic:Listen=http://127.0.0.1:0")]
    [InlineData("check", "extra")]
    [InlineData("--Synthetic:Listen")]
    [InlineData("check", "--config")]
    [InlineData("demo", "--recognizer", "whisper")]
    [InlineData("calibrate", "--target", "http://127.0.0.1:1", "--runs", "-3")]
    public async Task Command_BadArgument_ExitsTwoNamingIt(params string[] args)
    {
        var (exit, _, stderr) = await RunAsync(args);

        Assert.Equal(ExitCodes.BadConfiguration, exit);
        Assert.Contains(args[^1].Split('=')[0], stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownVerb_ExitsTwoListingCommands()
    {
        var (exit, _, stderr) = await RunAsync("frobnicate", "--json");

        Assert.Equal(ExitCodes.BadConfiguration, exit);
        Assert.Contains("unknown command 'frobnicate'", stderr, StringComparison.Ordinal);
        Assert.Contains("check", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("check")]
    public async Task Config_MissingFile_ExitsTwoNamingIt(string verb)
    {
        var file = Path.Combine(Path.GetTempPath(), $"synthetic-missing-{Guid.NewGuid():N}.json");

        var (exit, _, stderr) = await RunAsync(verb, "--config", file);

        Assert.Equal(ExitCodes.BadConfiguration, exit);
        Assert.Contains("--config", stderr, StringComparison.Ordinal);
        Assert.Contains(file, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ListenOverrideWithSpace_ReachesConfiguration()
    {
        var port = FreePort.Next();
        var listen = $"http://127.0.0.1:{port}";
        var stdout = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = SyntheticCommandLine.RunAsync(
            ["run", "--Synthetic:Listen", listen, "--Synthetic:Targets:0:Name=cli", $"--Synthetic:Targets:0:BaseUrl=http://127.0.0.1:{FreePort.Next()}",
             "--Synthetic:Targets:0:Canary:Enabled=false", "--Synthetic:SpreadStart=false"], stdout, new StringWriter(), stop.Token);

        // Up when the monitor answers on the port the override named.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var answered = false;
        for (var attempt = 0; attempt < 300 && !answered && !run.IsCompleted; attempt++)
        {
            try
            {
                answered = (await http.GetAsync(new Uri($"{listen}/healthz"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        await stop.CancelAsync();
        var exit = await run;
        Assert.True(answered, $"the monitor never answered on {listen}:\n{stdout}");
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains($"serving {listen}/metrics", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ConfigurationOverrides_ReachTheChecks()
    {
        var (exit, stdout, _) = await RunAsync("check", "--target", $"http://127.0.0.1:{FreePort.Next()}/", "--json",
            "--Synthetic:Targets:0:Canary:Enabled", "false", "--Synthetic:Targets:0:Health:Detailed=false");

        Assert.Equal(ExitCodes.Failed, exit);
        using var document = JsonDocument.Parse(stdout);
        var probes = document.RootElement.GetProperty("targets")[0].GetProperty("checks").EnumerateArray()
            .Select(c => c.GetProperty("probe").GetString()).ToList();
        Assert.Contains("health", probes);
        Assert.DoesNotContain("transcription", probes);
    }

    [Fact]
    public async Task Binary_CheckHelp_ListsWait()
    {
        var result = await ExternalTool.RunAsync("dotnet", [SyntheticBinary.Path, "check", "--help"], timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(OptionRow(), result.StandardOutput);
        Assert.Contains("--wait <DURATION>", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_MisspeltOptionAndMissingEnvironmentConfig_ExitTwoWithoutStackTrace()
    {
        var misspelt = await ExternalTool.RunAsync("dotnet", [SyntheticBinary.Path, "check", "--wiat", "5m"], timeout: TimeSpan.FromSeconds(60));
        var missing = Path.Combine(Path.GetTempPath(), $"synthetic-missing-{Guid.NewGuid():N}.json");
        var environment = await ExternalTool.RunAsync("dotnet", [SyntheticBinary.Path, "check"], timeout: TimeSpan.FromSeconds(60),
            environment: new Dictionary<string, string> { ["SYNTHETIC_CONFIG"] = missing });

        Assert.Equal(2, misspelt.ExitCode);
        Assert.Contains("--wiat", misspelt.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", misspelt.Combined, StringComparison.Ordinal);
        Assert.Equal(2, environment.ExitCode);
        Assert.Contains(missing, environment.StandardError, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await SyntheticCommandLine.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>An option row of the help: its name (and value placeholder), then a description.</summary>
    [GeneratedRegex(@"(?m)^\s+(?:-\S+, )*(?<name>--[a-z-]+)(?: <[A-Z]+>)?(?: \(REQUIRED\))?\s{2,}\S")]
    private static partial Regex OptionRow();
}
