using Synthetic.Cli;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cli;

/// <summary>The check command runs the streaming canary when it is enabled, and calls a broken stream a false positive.</summary>
public sealed class CheckStreamingTests
{
    private static readonly string[] Streaming =
    [
        "--Synthetic:Targets:0:Streaming:Enabled=true", "--Synthetic:Targets:0:Streaming:Pace=4",
        "--Synthetic:Targets:0:Streaming:Timeout=5s", "--Synthetic:Targets:0:Streaming:Interval=10s",
    ];

    [Fact]
    public async Task Check_StreamingEnabled_HealthyThenBroken_TableNamesTheStreamAndTheFalsePositive()
    {
        await using var standIn = await StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });

        var (exit, stdout) = await RunAsync(["--target", standIn.BaseUrl.ToString(), .. Streaming]);
        Assert.True(exit == 0, stdout);
        Assert.Contains("streaming/quick-brown-fox", stdout, StringComparison.Ordinal);

        standIn.SetMode(new StandInMode("stream-broken"));
        (exit, stdout) = await RunAsync(["--target", standIn.BaseUrl.ToString(), .. Streaming]);
        Assert.Equal(1, exit);
        Assert.Contains("but streaming fails (http_5xx)", stdout, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stdout)> RunAsync(string[] args)
    {
        var stdout = new StringWriter();
        var exit = await SyntheticCommandLine.RunAsync(["check", .. args], stdout, new StringWriter());
        return (exit, stdout.ToString());
    }
}
