using System.Text.Json;
using Synthetic.Cli;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cli;

/// <summary><c>synthetic calibrate</c> against the hash stand-in over loopback: help, exit codes, the file it writes.</summary>
public sealed class CalibrateCommandTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("synthetic-calibrate-cli-").FullName;
    private StandInServer _standIn = null!;

    private string Out => Path.Combine(_folder, "baseline.json");

    public async Task InitializeAsync() =>
        _standIn = await StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });

    public async Task DisposeAsync()
    {
        await _standIn.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Help_ListsEveryOption()
    {
        var (exit, stdout, _) = await RunAsync("--help");

        Assert.Equal(0, exit);
        foreach (var option in new[] { "--target", "--runs", "--out", "--license-key-file", "--dialect", "--sample", "--config", "--Synthetic:Key=value" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Calibrate_HealthyServer_WritesBaselineWithManifestTranscripts()
    {
        var (exit, stdout, stderr) = await RunAsync("--target", _standIn.BaseUrl.ToString(), "--runs", "3", "--sample", "quick-brown-fox",
            "--sample", "numbers-dates", "--out", Out);

        Assert.True(exit == 0, stderr);
        Assert.Contains("SAMPLE", stdout, StringComparison.Ordinal);
        Assert.Contains("3/3", stdout, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Out));
        var root = document.RootElement;
        Assert.Equal(3, root.GetProperty("runs").GetInt32());
        var samples = root.GetProperty("samples").EnumerateArray().ToList();
        Assert.Equal(["quick-brown-fox", "numbers-dates"], samples.Select(s => s.GetProperty("sample").GetString()));
        var fox = samples[0];
        Assert.Equal("The quick brown fox jumps over the lazy dog.", fox.GetProperty("transcript").GetString());
        Assert.Equal(0, fox.GetProperty("wordErrorRate").GetDouble());
        Assert.Equal(3, fox.GetProperty("sameTranscriptRuns").GetInt32());
        Assert.True(fox.GetProperty("latencyP95Ms").GetDouble() >= fox.GetProperty("latencyP50Ms").GetDouble());
        Assert.Equal(0.30, fox.GetProperty("suggested").GetProperty("maxWer").GetDouble());
        Assert.Equal(0.15, fox.GetProperty("suggested").GetProperty("degradedWer").GetDouble());
    }

    [Fact]
    public async Task Calibrate_ServerFailsRuns_ExitsOneAndWritesNothing()
    {
        _standIn.SetMode(new StandInMode("false-positive"));

        var (exit, _, stderr) = await RunAsync("--target", _standIn.BaseUrl.ToString(), "--runs", "2", "--out", Out);

        Assert.Equal(1, exit);
        Assert.Contains("2 sample runs failed", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Out));
    }

    [Theory]
    [InlineData("--runs", "0", "--runs: '0' is not a whole number from 1 to 100.")]
    [InlineData("--runs", "many", "--runs: 'many' is not a whole number from 1 to 100.")]
    [InlineData("--target", "ftp://x", "--target: 'ftp://x' is not an absolute http:// or https:// URL.")]
    public async Task Calibrate_BadArgument_ExitsTwoNamingIt(string option, string value, string expected)
    {
        var args = option == "--target" ? new[] { option, value } : ["--target", _standIn.BaseUrl.ToString(), option, value];

        var (exit, _, stderr) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calibrate_NoTarget_ExitsTwo()
    {
        var (exit, _, stderr) = await RunAsync("--out", Out);

        Assert.Equal(2, exit);
        Assert.Contains("--target", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calibrate_CanaryOff_ExitsTwoNamingTheKey()
    {
        var (exit, _, stderr) = await RunAsync("--target", _standIn.BaseUrl.ToString(), "--Synthetic:Targets:0:Canary:Enabled=false");

        Assert.Equal(2, exit);
        Assert.Contains("Synthetic:Targets:0:Canary:Enabled", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await SyntheticCommandLine.RunAsync(["calibrate", .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
