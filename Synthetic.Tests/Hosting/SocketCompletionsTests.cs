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
}
