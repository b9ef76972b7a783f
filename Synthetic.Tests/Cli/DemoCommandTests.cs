using Synthetic.Cli;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cli;

[Collection(SerialCollection.Name)]
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_ShortRun_CatchesAndClearsFalsePositive_NeverPrintsKey()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await SyntheticCommandLine.RunAsync(["demo", "--seconds", "30"], stdout, stderr);

        var output = stdout.ToString();
        Assert.True(exit == 0, $"demo exit {exit}:\n{output}\n{stderr}");
        Assert.Contains("CAUGHT", output, StringComparison.Ordinal);
        Assert.Contains("False positive caught", output, StringComparison.Ordinal);
        Assert.Contains("TEST DOUBLE", output, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoCommand.DemoLicenseKey, output + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_BadArgument_ExitsTwo()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, await SyntheticCommandLine.RunAsync(["demo", "--seconds", "3"], new StringWriter(), stderr));
        Assert.Contains("--seconds", stderr.ToString(), StringComparison.Ordinal);
    }
}
