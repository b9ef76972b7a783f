using Synthetic.Probing;

namespace Synthetic.Tests.Probing;

public sealed class RedactorTests
{
    [Fact]
    public void Apply_TextContainingSecretTwice_EveryOccurrenceMasked()
    {
        var redactor = new Redactor("sk-live-1234");

        var result = redactor.Apply("key=sk-live-1234; again sk-live-1234.");

        Assert.Equal("key=***; again ***.", result);
    }

    [Fact]
    public void Apply_SecretInOtherCase_LeftAlone()
    {
        // Ordinal: a key is case-sensitive, and a case-folded match would mask unrelated words.
        Assert.Equal("SK-LIVE-1234", new Redactor("sk-live-1234").Apply("SK-LIVE-1234"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    public void Apply_NoSecretOrShorterThanFour_TextUnchanged(string? secret)
    {
        // A secret of one to three characters would mask every occurrence of common letters.
        Assert.Equal("abc def abc", new Redactor(secret).Apply("abc def abc"));
    }

    [Fact]
    public void Apply_NullOrEmptyText_EmptyString()
    {
        var redactor = new Redactor("secret");

        Assert.Equal(string.Empty, redactor.Apply(null));
        Assert.Equal(string.Empty, redactor.Apply(string.Empty));
    }
}
