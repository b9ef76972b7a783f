using Synthetic.Scoring;

namespace Synthetic.Tests.Scoring;

public sealed class WordAlignerTests
{
    private const string Fox = "the quick brown fox jumps over the lazy dog"; // 9 words

    // Every expected value below was worked out by hand; the comment gives the S/D/I reasoning.
    [Theory]
    // 6 words, all equal: S=0 D=0 I=0, N=6 -> 0.
    [InlineData("the cat sat on the mat", "the cat sat on the mat", 0, 0, 0, 6, 0.0)]
    // Case and punctuation vanish: both "hello world", N=2 -> 0.
    [InlineData("Hello, World!", "hello world", 0, 0, 0, 2, 0.0)]
    // Both normalize to "25", N=1 -> 0.
    [InlineData("twenty five", "25", 0, 0, 0, 1, 0.0)]
    // Both normalize to "1250 dollars", N=2 -> 0.
    [InlineData("$1,250", "one thousand two hundred fifty dollars", 0, 0, 0, 2, 0.0)]
    // Both "do not", N=2 -> 0.
    [InlineData("don't", "do not", 0, 0, 0, 2, 0.0)]
    // Filler dropped on either side: both "the cat", N=2 -> 0.
    [InlineData("um the cat", "the cat", 0, 0, 0, 2, 0.0)]
    [InlineData("the cat", "um the cat", 0, 0, 0, 2, 0.0)]
    // brown->crown, everything else matches: S=1, N=9 -> 1/9.
    [InlineData(Fox, "the quick crown fox jumps over the lazy dog", 1, 0, 0, 9, 1.0 / 9)]
    // "brown" missing: D=1, N=9 -> 1/9.
    [InlineData(Fox, "the quick fox jumps over the lazy dog", 0, 1, 0, 9, 1.0 / 9)]
    // "very" added: I=1, N=9 -> 1/9.
    [InlineData(Fox, "the very quick brown fox jumps over the lazy dog", 0, 0, 1, 9, 1.0 / 9)]
    // Matches quick brown fox / over / lazy dog (no "the" in the hypothesis, so these 6 are forced).
    // Gaps: the->a (S), jumps->leaps (S), second "the" (D), trailing "today" (I): S=2 D=1 I=1 -> 4/9.
    // Fewer matches cannot do better: the D gap and the I gap are separated by two matches.
    [InlineData(Fox, "a quick brown fox leaps over lazy dog today", 2, 1, 1, 9, 4.0 / 9)]
    // Nothing heard: D=3, N=3 -> 1.0.
    [InlineData("the cat sat", "", 0, 3, 0, 3, 1.0)]
    [InlineData("the cat sat", null, 0, 3, 0, 3, 1.0)]
    // Empty reference, empty (or filler-only) hypothesis: no errors -> 0.
    [InlineData("", "", 0, 0, 0, 0, 0.0)]
    [InlineData(null, null, 0, 0, 0, 0, 0.0)]
    [InlineData("", "um", 0, 0, 0, 0, 0.0)]
    // Empty reference: N=0 is treated as 1, so WER = insertions: I=1 -> 1.0, I=2 -> 2.0.
    [InlineData("", "hello", 0, 0, 1, 0, 1.0)]
    [InlineData("", "hello world", 0, 0, 2, 0, 2.0)]
    // WER can exceed 1: "yes" matches once, I=2, N=1 -> 2.0.
    [InlineData("yes", "yes yes yes", 0, 0, 2, 1, 2.0)]
    public void Score_Pair_ReturnsHandComputedCounts(
        string? reference, string? hypothesis, int substitutions, int deletions, int insertions, int referenceWords, double wer)
    {
        var score = WordAligner.Score(reference, hypothesis);

        Assert.Equal(substitutions, score.Substitutions);
        Assert.Equal(deletions, score.Deletions);
        Assert.Equal(insertions, score.Insertions);
        Assert.Equal(referenceWords, score.ReferenceWords);
        Assert.Equal(wer, score.WordErrorRate, 12);
    }

    [Fact]
    public void Score_MixedEdits_KeepsAlignmentInOrder()
    {
        // Matches: the quick / fox / over the / dog. brown->crown (S), jumps (D), lazy (I): 3/8.
        var score = WordAligner.Score("the quick brown fox jumps over the dog", "the quick crown fox over the lazy dog");

        WordEdit[] expected =
        [
            new(EditKind.Match, "the", "the"),
            new(EditKind.Match, "quick", "quick"),
            new(EditKind.Substitution, "brown", "crown"),
            new(EditKind.Match, "fox", "fox"),
            new(EditKind.Deletion, "jumps", null),
            new(EditKind.Match, "over", "over"),
            new(EditKind.Match, "the", "the"),
            new(EditKind.Insertion, null, "lazy"),
            new(EditKind.Match, "dog", "dog"),
        ];
        Assert.Equal(expected, score.Alignment);
        Assert.Equal(3.0 / 8, score.WordErrorRate, 12);
        Assert.Equal("the quick [brown→crown] fox -jumps- over the +lazy+ dog", score.FormatDiff());
    }

    [Fact]
    public void FormatDiff_NormalizedEquivalents_ShowsNormalizedWords()
    {
        var score = WordAligner.Score("It's $5", "it is five dollars");

        Assert.Equal("it is 5 dollars", score.FormatDiff());
    }

    [Fact]
    public void FormatDiff_NothingToCompare_ReturnsEmpty()
    {
        Assert.Equal(string.Empty, WordAligner.Score("", null).FormatDiff());
    }

    [Fact]
    public void FormatDiff_LongDiff_IsCutWithEllipsis()
    {
        // 200 substitutions of 12 characters each would render about 2,600 characters.
        var score = WordAligner.Score(
            string.Join(' ', Enumerable.Repeat("alpha", 200)),
            string.Join(' ', Enumerable.Repeat("beta", 200)));

        var diff = score.FormatDiff();

        Assert.Equal(1.0, score.WordErrorRate, 12);
        Assert.Equal(WerScore.MaxDiffLength + 1, diff.Length);
        Assert.StartsWith("[alpha→beta] [alpha→beta]", diff, StringComparison.Ordinal);
        Assert.EndsWith("…", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_HypothesisBeyondCap_CountsExcessAsUnalignedInsertions()
    {
        // 1 + 5,999 = 6,000 hypothesis words: the first 5,000 are aligned ("hello" matches, 4,999 inserted),
        // the remaining 1,000 are counted as insertions without alignment. I = 5,999, N = 1 -> 5,999.
        var hypothesis = "hello" + string.Concat(Enumerable.Repeat(" la", 5_999));

        var score = WordAligner.Score("hello", hypothesis);

        Assert.Equal(WordAligner.MaxHypothesisWords, score.Alignment.Count);
        Assert.Equal(new WordEdit(EditKind.Match, "hello", "hello"), score.Alignment[0]);
        Assert.Equal(0, score.Substitutions);
        Assert.Equal(0, score.Deletions);
        Assert.Equal(5_999, score.Insertions);
        Assert.Equal(5_999.0, score.WordErrorRate, 12);
        Assert.EndsWith("… (+1000 words not aligned)", score.FormatDiff(), StringComparison.Ordinal);
    }

    [Fact]
    public void Score_HypothesisAtCap_AlignsEveryWord()
    {
        // Exactly 5,000 words: all aligned, 1 match + 4,999 insertions, nothing unaligned.
        var hypothesis = "hello" + string.Concat(Enumerable.Repeat(" la", 4_999));

        var score = WordAligner.Score("hello", hypothesis);

        Assert.Equal(WordAligner.MaxHypothesisWords, score.Alignment.Count);
        Assert.Equal(4_999, score.Insertions);
        Assert.DoesNotContain("not aligned", score.FormatDiff(), StringComparison.Ordinal);
    }

    [Fact]
    public void Align_WordLists_ComparesOrdinally()
    {
        // "B" vs "b" is a substitution at this level (normalization is the caller's job): S=1, N=2 -> 0.5.
        var score = WordAligner.Align(["a", "B"], ["a", "b"]);

        Assert.Equal(1, score.Substitutions);
        Assert.Equal(0.5, score.WordErrorRate, 12);
        Assert.Equal("a [B→b]", score.FormatDiff());
    }
}
