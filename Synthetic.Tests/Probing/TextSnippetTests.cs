using System.Text;
using Synthetic.Probing;

namespace Synthetic.Tests.Probing;

public sealed class TextSnippetTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Of_NullOrEmpty_Empty(string? text) => Assert.Equal(string.Empty, TextSnippet.Of(text));

    [Fact]
    public void Of_ControlCharacters_ReplacedBySpacesAndTrimmed()
    {
        Assert.Equal("line one  line two", TextSnippet.Of("\r\nline one\r\nline\ttwo\n"));
    }

    [Fact]
    public void Of_LongerThanMax_CutWithEllipsis()
    {
        var result = TextSnippet.Of(new string('a', 50), max: 10);

        Assert.Equal(new string('a', 10) + "…", result);
    }

    [Fact]
    public void Of_ExactlyMax_NoEllipsis()
    {
        Assert.Equal(new string('a', 10), TextSnippet.Of(new string('a', 10), max: 10));
    }

    [Fact]
    public void Of_Bytes_DecodedAsUtf8()
    {
        Assert.Equal("größe ok", TextSnippet.Of(Encoding.UTF8.GetBytes("größe ok\n")));
    }

    [Fact]
    public void Of_LargeBody_OnlyTheHeadDecodedAndCut()
    {
        var body = Encoding.UTF8.GetBytes(new string('z', 1_000_000));

        var result = TextSnippet.Of(body, max: 20);

        Assert.Equal(new string('z', 20) + "…", result);
    }

    [Fact]
    public void Of_EmptyBody_Empty() => Assert.Equal(string.Empty, TextSnippet.Of([]));
}
