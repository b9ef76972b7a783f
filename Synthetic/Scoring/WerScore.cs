using System.Text;

namespace Synthetic.Scoring;

/// <summary>What happened to one word position in the alignment of a reference against a hypothesis.</summary>
internal enum EditKind : byte
{
    Match,
    Substitution,
    Deletion,
    Insertion,
}

/// <summary>
/// One step of a word alignment. <see cref="Reference"/> is null for insertions,
/// <see cref="Hypothesis"/> is null for deletions.
/// </summary>
internal readonly record struct WordEdit(EditKind Kind, string? Reference, string? Hypothesis);

/// <summary>
/// Word error rate of a hypothesis against a reference, <c>(S + D + I) / N</c>, together with the
/// alignment that produced it. <see cref="ReferenceWords"/> is N; when N is 0 the rate is the
/// insertion count (see <see cref="WordAligner"/>).
/// </summary>
internal sealed record WerScore(
    double WordErrorRate,
    int Substitutions,
    int Deletions,
    int Insertions,
    int ReferenceWords,
    IReadOnlyList<WordEdit> Alignment)
{
    /// <summary>Longest diff body <see cref="FormatDiff"/> renders before cutting it off with an ellipsis.</summary>
    public const int MaxDiffLength = 400;

    /// <summary>S + D + I.</summary>
    public int Errors => Substitutions + Deletions + Insertions;

    /// <summary>
    /// Compact one-line word diff: matches plain, substitutions <c>[ref→hyp]</c>, deletions <c>-ref-</c>,
    /// insertions <c>+hyp+</c>, e.g. <c>the quick [brown→crown] fox -jumps- over +lazy+ dog</c>.
    /// Cut at <see cref="MaxDiffLength"/> characters with a trailing <c>…</c>. Words that were counted but
    /// not aligned (beyond <see cref="WordAligner.MaxHypothesisWords"/>) are summarised at the end.
    /// </summary>
    public string FormatDiff()
    {
        var builder = new StringBuilder();
        var alignedErrors = 0;
        var truncated = false;
        foreach (var edit in Alignment)
        {
            if (edit.Kind != EditKind.Match)
            {
                alignedErrors++;
            }

            if (truncated)
            {
                continue;
            }

            var piece = edit.Kind switch
            {
                EditKind.Match => edit.Reference,
                EditKind.Substitution => $"[{edit.Reference}→{edit.Hypothesis}]",
                EditKind.Deletion => $"-{edit.Reference}-",
                _ => $"+{edit.Hypothesis}+",
            };

            var separator = builder.Length == 0 ? 0 : 1;
            if (builder.Length + separator + piece!.Length > MaxDiffLength)
            {
                // Keep as much of the piece as fits so the cut lands exactly at the cap.
                var room = MaxDiffLength - builder.Length - separator;
                if (room > 0)
                {
                    builder.Append(' ', separator).Append(piece, 0, room);
                }

                builder.Append('…');
                truncated = true;
                continue;
            }

            builder.Append(' ', separator).Append(piece);
        }

        var unaligned = Errors - alignedErrors;
        if (unaligned > 0)
        {
            builder.Append(builder.Length == 0 ? string.Empty : " ").Append("(+").Append(unaligned).Append(" words not aligned)");
        }

        return builder.ToString();
    }
}
