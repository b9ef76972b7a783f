using Synthetic.Scoring;

namespace Synthetic.Tests.Scoring;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t\n ")]
    [InlineData("... !?")]
    [InlineData("um, uh... hmm")]
    public void Normalize_NothingToScore_ReturnsNoWords(string? text)
    {
        Assert.Empty(TextNormalizer.Normalize(text));
    }

    [Theory]
    // Case, punctuation, whitespace.
    [InlineData("Hello, World!", "hello world")]
    [InlineData("  multiple   spaces\tand\nnewlines ", "multiple spaces and newlines")]
    [InlineData("\"Quoted\" (words); here.", "quoted words here")]
    [InlineData("well-known state-of-the-art", "well known state of the art")]
    [InlineData("Café crème", "café crème")]
    // Abbreviations.
    [InlineData("a.m.", "am")]
    [InlineData("P.M.", "pm")]
    [InlineData("The U.S.A. is big.", "the usa is big")]
    // Contractions.
    [InlineData("don't", "do not")]
    [InlineData("Don’t", "do not")]
    [InlineData("It's", "it is")]
    [InlineData("I'm", "i am")]
    [InlineData("we're", "we are")]
    [InlineData("they've", "they have")]
    [InlineData("can't", "can not")]
    [InlineData("cannot", "can not")]
    [InlineData("won't", "will not")]
    [InlineData("you'll", "you will")]
    [InlineData("she'd", "she would")]
    [InlineData("isn't", "is not")]
    [InlineData("I'd've", "i would have")]
    [InlineData("let's go", "let us go")]
    [InlineData("John's car", "johns car")]
    [InlineData("'quoted'", "quoted")]
    // Fillers.
    [InlineData("Um, the uh cat hmm sat er erm ah mm uhm", "the cat sat")]
    // Cardinals.
    [InlineData("twenty five", "25")]
    [InlineData("twenty-five", "25")]
    [InlineData("one thousand two hundred fifty", "1250")]
    [InlineData("one thousand two hundred and fifty", "1250")]
    [InlineData("a hundred and one", "101")]
    [InlineData("two hundred thousand", "200000")]
    [InlineData("one million two hundred thousand and five", "1200005")]
    [InlineData("3 million", "3000000")]
    [InlineData("zero", "0")]
    [InlineData("one two three", "1 2 3")]
    [InlineData("one, two, three", "1 2 3")]
    [InlineData("bread and butter", "bread and butter")]
    [InlineData("five and six", "5 and 6")]
    [InlineData("007", "007")]
    [InlineData("1,250,000", "1250000")]
    [InlineData("5pm", "5 pm")]
    // Ordinals.
    [InlineData("3rd", "3")]
    [InlineData("third", "3")]
    [InlineData("21st", "21")]
    [InlineData("twenty-first", "21")]
    [InlineData("the hundredth time", "the 100 time")]
    // Currency and percent.
    [InlineData("$1,250", "1250 dollars")]
    [InlineData("one thousand two hundred and fifty dollars", "1250 dollars")]
    [InlineData("$5.99", "5 dollars and 99 cents")]
    [InlineData("five dollars and ninety-nine cents", "5 dollars and 99 cents")]
    [InlineData("$1", "1 dollar")]
    [InlineData("$0.50", "50 cents")]
    [InlineData("$3 million", "3000000 dollars")]
    [InlineData("three million dollars", "3000000 dollars")]
    [InlineData("€20", "20 euros")]
    [InlineData("50%", "50 percent")]
    [InlineData("fifty percent", "50 percent")]
    // Decimals.
    [InlineData("3.14", "3 point 1 4")]
    [InlineData("three point one four", "3 point 1 4")]
    // Clock times.
    [InlineData("10:30", "10 30")]
    [InlineData("ten thirty", "10 30")]
    [InlineData("10:05", "10 oh 5")]
    [InlineData("ten oh five", "10 oh 5")]
    [InlineData("10:00 a.m.", "10 am")]
    [InlineData("ten o'clock am", "10 am")]
    [InlineData("twelve fifteen", "12 15")]
    // Years.
    [InlineData("2024", "2024")]
    [InlineData("twenty twenty-four", "2024")]
    [InlineData("twenty twenty four", "2024")]
    [InlineData("two thousand twenty four", "2024")]
    [InlineData("two thousand and five", "2005")]
    [InlineData("nineteen ninety nine", "1999")]
    [InlineData("nineteen oh five", "1905")]
    [InlineData("in twenty twenty, twenty five people", "in 2020 25 people")]
    public void Normalize_Text_ReturnsCanonicalWords(string text, string expected)
    {
        Assert.Equal(expected, string.Join(' ', TextNormalizer.Normalize(text)));
    }

    [Theory]
    // Known limitations of the year heuristic (documented on NumberWords): the first half must be 13-99
    // so that clock times stay split, which leaves early years split; and number pairs that are not years
    // are joined.
    [InlineData("eleven sixty six", "11 66")]
    [InlineData("fifty fifty", "5050")]
    [InlineData("thirteen thirty", "1330")]
    // A comma between the halves keeps them apart.
    [InlineData("twenty, twenty four", "20 24")]
    public void Normalize_YearHeuristicEdges_BehavesAsDocumented(string text, string expected)
    {
        Assert.Equal(expected, string.Join(' ', TextNormalizer.Normalize(text)));
    }

    [Theory]
    [InlineData("Twenty-five", "25")]
    [InlineData("$1,250", "one thousand two hundred fifty dollars")]
    [InlineData("I don't know.", "i do not know")]
    [InlineData("Meet me at 10:30 a.m. on the 3rd", "meet me at ten thirty am on the third")]
    [InlineData("It's 50% off", "it is fifty percent off")]
    [InlineData("the year 2024", "the year twenty twenty-four")]
    public void Normalize_EquivalentSpellings_ProduceSameWords(string left, string right)
    {
        Assert.Equal(TextNormalizer.Normalize(left), TextNormalizer.Normalize(right));
    }
}
