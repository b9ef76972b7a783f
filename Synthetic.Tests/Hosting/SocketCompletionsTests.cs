using Synthetic.Hosting;

namespace Synthetic.Tests.Hosting;

public sealed class SocketCompletionsTests
{
    [Fact]
    public void Choose_SingleMonitorWithoutSetting_RunsCompletionsInline() =>
        Assert.Equal("1", SocketCompletions.Choose(current: null, clustered: false));

    [Theory]
    [InlineData(null)]
    [InlineData("1")]
    public void Choose_ClusterNode_CompletionsOnTheThreadPoolWhateverTheEnvironment(string? current) =>
        Assert.Equal("0", SocketCompletions.Choose(current, clustered: true));

    [Theory]
    [InlineData("0", false)]
    [InlineData("1", false)]
    [InlineData("0", true)]
    public void Choose_SettingAlreadyRight_LeavesTheEnvironment(string current, bool clustered) =>
        Assert.Null(SocketCompletions.Choose(current, clustered));

    [Theory]
    [InlineData(1, "1")]
    [InlineData(2, "2")]
    [InlineData(64, "4")]
    public void ChooseThreads_InlineWithoutSetting_OnePerCoreUpToFour(int processors, string expected) =>
        Assert.Equal(expected, SocketCompletions.ChooseThreads(current: null, inline: "1", processors));

    [Theory]
    [InlineData("8", "1")]
    [InlineData(null, "0")]
    [InlineData(null, null)]
    public void ChooseThreads_SetOrNotInline_LeavesTheEnvironment(string? current, string? inline) =>
        Assert.Null(SocketCompletions.ChooseThreads(current, inline, processors: 64));
}
