namespace Synthetic.Scoring;

/// <summary>
/// Word-level Levenshtein alignment of a hypothesis against a reference, producing the WER and the
/// alignment used for the word diff. O(n·m) time, O(n·m) bytes of backtrace plus two O(m) cost rows.
/// </summary>
internal static class WordAligner
{
    /// <summary>
    /// Hypothesis words beyond this many are counted as insertions but not aligned, so a hostile or broken
    /// server returning a huge transcript cannot make the aligner allocate gigabytes. The reference comes
    /// from our own fixture manifest and is not capped (it is expected to be a few dozen words; a reference
    /// longer than the cap would make an over-long but otherwise correct hypothesis score worse than it is).
    /// </summary>
    public const int MaxHypothesisWords = 5000;

    /// <summary>Normalizes both texts with <see cref="TextNormalizer"/> and aligns them.</summary>
    public static WerScore Score(string? reference, string? hypothesis) =>
        Align(TextNormalizer.Normalize(reference), TextNormalizer.Normalize(hypothesis));

    /// <summary>
    /// Aligns already normalized word lists (compared ordinally).
    /// <para>
    /// WER is <c>(S + D + I) / N</c> with N the number of reference words. When N is 0 the ratio is
    /// undefined; we divide by 1 instead, so an empty reference scores 0 against an empty hypothesis and
    /// the number of inserted words otherwise (1.0 for one word, 2.0 for two…). The "near-silence" clip
    /// expects an empty transcript, and this makes every hallucinated word cost as much as one error.
    /// </para>
    /// </summary>
    public static WerScore Align(IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(hypothesis);

        var n = reference.Count;
        var m = Math.Min(hypothesis.Count, MaxHypothesisWords);
        var unalignedInsertions = hypothesis.Count - m;
        var width = m + 1;

        // ops[i * width + j] = last step of the cheapest alignment of reference[..i] with hypothesis[..j].
        var ops = new EditKind[(n + 1) * width];
        var previous = new int[width];
        var current = new int[width];
        for (var j = 0; j <= m; j++)
        {
            previous[j] = j;
            ops[j] = EditKind.Insertion;
        }

        for (var i = 1; i <= n; i++)
        {
            current[0] = i;
            ops[i * width] = EditKind.Deletion;
            var referenceWord = reference[i - 1];
            for (var j = 1; j <= m; j++)
            {
                // Ties prefer the diagonal (match/substitution), then deletion, then insertion.
                var same = string.Equals(referenceWord, hypothesis[j - 1], StringComparison.Ordinal);
                var best = previous[j - 1] + (same ? 0 : 1);
                var op = same ? EditKind.Match : EditKind.Substitution;
                if (previous[j] + 1 < best)
                {
                    best = previous[j] + 1;
                    op = EditKind.Deletion;
                }

                if (current[j - 1] + 1 < best)
                {
                    best = current[j - 1] + 1;
                    op = EditKind.Insertion;
                }

                current[j] = best;
                ops[(i * width) + j] = op;
            }

            (previous, current) = (current, previous);
        }

        var alignment = new List<WordEdit>(Math.Max(n, m));
        int substitutions = 0, deletions = 0, insertions = 0;
        for (int i = n, j = m; i > 0 || j > 0;)
        {
            var op = ops[(i * width) + j];
            switch (op)
            {
                case EditKind.Match:
                    alignment.Add(new WordEdit(op, reference[--i], hypothesis[--j]));
                    break;
                case EditKind.Substitution:
                    substitutions++;
                    alignment.Add(new WordEdit(op, reference[--i], hypothesis[--j]));
                    break;
                case EditKind.Deletion:
                    deletions++;
                    alignment.Add(new WordEdit(op, reference[--i], null));
                    break;
                default:
                    insertions++;
                    alignment.Add(new WordEdit(op, null, hypothesis[--j]));
                    break;
            }
        }

        alignment.Reverse();
        insertions += unalignedInsertions;
        var errors = substitutions + deletions + insertions;
        var rate = (double)errors / Math.Max(n, 1);
        return new WerScore(rate, substitutions, deletions, insertions, n, alignment);
    }
}
