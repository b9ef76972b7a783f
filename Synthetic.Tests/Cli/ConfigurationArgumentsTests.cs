using Synthetic.Cli;

namespace Synthetic.Tests.Cli;

public sealed class ConfigurationArgumentsTests
{
    [Fact]
    public void Split_BothForms_PassedOnInOrder()
    {
        var (args, unknown, missing) = ConfigurationArguments.Split(["--Synthetic:Listen=http://x:1", "--Synthetic:Targets:0:Name", "a", "--Logging:LogLevel:Default=Debug"]);

        Assert.Equal(["--Synthetic:Listen=http://x:1", "--Synthetic:Targets:0:Name", "a", "--Logging:LogLevel:Default=Debug"], args);
        Assert.Empty(unknown);
        Assert.Empty(missing);
    }

    [Fact]
    public void Split_KeyWithoutValue_IsMissingNotPassedOn()
    {
        var (args, _, missing) = ConfigurationArguments.Split(["--Synthetic:Listen", "--Synthetic:SpreadStart=false"]);

        Assert.Equal(["--Synthetic:SpreadStart=false"], args);
        Assert.Equal(["--Synthetic:Listen"], missing);
    }

    [Fact]
    public void Split_NotConfigurationKeys_AreUnknownWithTheirValue()
    {
        var (args, unknown, _) = ConfigurationArguments.Split(["--wiat", "5m", "stray", "--x=1", "-:a=b"]);

        Assert.Empty(args);
        Assert.Equal(["--wiat", "stray", "--x=1", "-:a=b"], unknown);
    }

    [Theory]
    [InlineData("--Synthetic:Listen", true)]
    [InlineData("--Synthetic:Targets:0:BaseUrl=http://a:1/b", true)]
    [InlineData("--Synthetic", false)]
    [InlineData("--:Listen=1", false)]
    [InlineData("Synthetic:Listen=1", false)]
    [InlineData("--Synthetic:Bad Key=1", false)]
    public void IsConfigurationKey_Token_Classified(string token, bool expected) =>
        Assert.Equal(expected, ConfigurationArguments.IsConfigurationKey(token));
}
