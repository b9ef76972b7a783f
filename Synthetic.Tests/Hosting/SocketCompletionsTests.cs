using Synthetic.Hosting;

namespace Synthetic.Tests.Hosting;

public sealed class SocketCompletionsTests
{
    [Fact]
    public void Choose_SingleMonitorWithoutSetting_RunsCompletionsInline() =>
        Assert.Equal("1", SocketCompletions.Choose(current: null, clustered: false));

    [Fact]
    public void Choose_ClusterNode_LeavesCompletionsOnTheThreadPool() =>
        Assert.Null(SocketCompletions.Choose(current: null, clustered: true));

    [Theory]
    [InlineData("0", false)]
    [InlineData("1", true)]
    public void Choose_ExplicitEnvironment_Wins(string current, bool clustered) =>
        Assert.Null(SocketCompletions.Choose(current, clustered));
}
