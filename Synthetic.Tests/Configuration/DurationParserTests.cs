using Synthetic.Configuration;

namespace Synthetic.Tests.Configuration;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("00:00:15", 15_000)]
    [InlineData("15s", 15_000)]
    [InlineData("1m", 60_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2h", 7_200_000)]
    [InlineData(" 30s ", 30_000)]
    public void TryParse_ValidForms_Parsed(string text, double milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var value));
        Assert.Equal(milliseconds, value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("15 seconds")]
    [InlineData("10d")]
    [InlineData("-5s")]
    public void TryParse_Invalid_Rejected(string text)
    {
        Assert.False(DurationParser.TryParse(text, out _));
    }
}
