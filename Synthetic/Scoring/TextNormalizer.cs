using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Synthetic.Scoring;

/// <summary>
/// Turns a transcript into the word list WER is computed over, so that differences in casing,
/// punctuation, number formatting, contractions and fillers are not counted as errors.
/// </summary>
/// <remarks>
/// Steps, in order:
/// <list type="number">
/// <item>lower-case; typographic apostrophes/dashes unified;</item>
/// <item>dotted abbreviations collapsed: <c>a.m.</c> → <c>am</c>, <c>u.s.a.</c> → <c>usa</c>;</item>
/// <item>currency: <c>$1,250</c> → <c>1250 dollars</c>, <c>$5.99</c> → <c>5 dollars and 99 cents</c>,
/// <c>$1</c> → <c>1 dollar</c>, <c>$0.50</c> → <c>50 cents</c>, <c>$3 million</c> → <c>3 million dollars</c>
/// (also € euros/cents and £ pounds/pence);</item>
/// <item>digit-group commas removed (<c>1,250,000</c>); decimals read digit by digit
/// (<c>3.14</c> → <c>3 point 1 4</c>, as "three point one four" is);</item>
/// <item>clock times: <c>10:30</c> → <c>10 30</c>, <c>10:05</c> → <c>10 oh 5</c>, <c>10:00</c> → <c>10</c>
/// (and "o'clock" is dropped, so "ten o'clock" → <c>10</c>);</item>
/// <item>digit ordinals lose their suffix (<c>3rd</c> → <c>3</c>); <c>%</c> → <c>percent</c>; <c>&amp;</c> → <c>and</c>;</item>
/// <item>split into words on whitespace, hyphens and punctuation (punctuation other than hyphens and
/// intra-word apostrophes also ends a number, so "twenty, five" stays two numbers); letters and digits
/// are split apart (<c>5pm</c> → <c>5 pm</c>);</item>
/// <item>contractions expanded (<c>don't</c> → <c>do not</c>, <c>can't</c>/<c>cannot</c> → <c>can not</c>,
/// <c>it's</c> → <c>it is</c>, <c>'ll</c> → <c>will</c>, <c>'d</c> → <c>would</c>…); remaining apostrophes
/// removed (possessive <c>john's</c> → <c>johns</c>);</item>
/// <item>fillers dropped (uh, um, er, ah, hmm, mm, uhm, erm and a few elongations);</item>
/// <item>number words → digits (<see cref="NumberWords"/>).</item>
/// </list>
/// Limitations: contractions are expanded to one reading only ("it's" → "it is", never "it has";
/// "'d" → "would", never "had"); a leading minus sign is read as a hyphen; decimal commas are not
/// recognised; see <see cref="NumberWords"/> for the year heuristic.
/// </remarks>
internal static partial class TextNormalizer
{
    private static readonly FrozenSet<string> Fillers = FrozenSet.ToFrozenSet(
        ["uh", "uhh", "um", "umm", "uhm", "er", "erm", "ah", "ahh", "hmm", "hm", "mm", "mmm"],
        StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string[]> IrregularContractions = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["won't"] = ["will", "not"],
        ["can't"] = ["can", "not"],
        ["cannot"] = ["can", "not"],
        ["shan't"] = ["shall", "not"],
        ["ain't"] = ["is", "not"],
        ["let's"] = ["let", "us"],
        ["y'all"] = ["you", "all"],
        ["o'clock"] = [],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Words whose "'s" is "is" rather than a possessive.
    private static readonly FrozenSet<string> IsContractionStems = FrozenSet.ToFrozenSet(
        ["it", "he", "she", "that", "what", "there", "here", "where", "who", "how", "when", "why"],
        StringComparer.Ordinal);

    private static readonly (string Suffix, string Expansion)[] ContractionSuffixes =
    [
        ("n't", "not"),
        ("'m", "am"),
        ("'re", "are"),
        ("'ve", "have"),
        ("'ll", "will"),
        ("'d", "would"),
    ];

    /// <summary>Normalized words of <paramref name="text"/>; empty for null or blank text.</summary>
    public static IReadOnlyList<string> Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var s = UnifyCharacters(text.ToLowerInvariant());
        s = AbbreviationRegex().Replace(s, m => m.Value.Replace(".", string.Empty, StringComparison.Ordinal));
        s = CurrencyRegex().Replace(s, m => " " + ExpandCurrency(m) + " ");
        s = DigitGroupCommaRegex().Replace(s, string.Empty);
        s = DecimalRegex().Replace(s, m => " point " + string.Join(' ', m.Groups["frac"].Value.ToCharArray()) + " ");
        s = ClockTimeRegex().Replace(s, ExpandClockTime);
        s = DigitOrdinalRegex().Replace(s, "$1");
        s = s.Replace("%", " percent ", StringComparison.Ordinal).Replace("&", " and ", StringComparison.Ordinal);

        var words = new List<WordToken>();
        var breakPending = false;
        foreach (var token in Tokenize(s))
        {
            var first = true;
            foreach (var word in ExpandContraction(token.Text))
            {
                var bare = word.Replace("'", string.Empty, StringComparison.Ordinal);
                if (bare.Length == 0 || Fillers.Contains(bare))
                {
                    continue;
                }

                // A dropped filler (or "o'clock") passes its phrase break on to the next kept word.
                words.Add(new WordToken(bare, (first && token.BreakBefore) || breakPending));
                breakPending = false;
                first = false;
            }

            if (first && token.BreakBefore)
            {
                breakPending = true;
            }
        }

        return NumberWords.ToDigits(words);
    }

    private static string UnifyCharacters(string s)
    {
        var builder = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            builder.Append(c switch
            {
                '\u2018' or '\u2019' or '\u02BC' or '\u2032' or '`' => '\'',
                '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => '-',
                _ => c,
            });
        }

        return builder.ToString();
    }

    private static string ExpandCurrency(Match match)
    {
        var (unit, units, subunit, subunits) = match.Groups["sym"].Value switch
        {
            "€" => ("euro", "euros", "cent", "cents"),
            "£" => ("pound", "pounds", "penny", "pence"),
            _ => ("dollar", "dollars", "cent", "cents"),
        };

        var whole = match.Groups["int"].Value.Replace(",", string.Empty, StringComparison.Ordinal);
        var fraction = match.Groups["frac"];
        var scale = match.Groups["scale"];

        // "$1.5 million", "$2.125": leave the decimal to the decimal rule and name the currency after it.
        if (scale.Success || (fraction.Success && fraction.Value.Length != 2))
        {
            var amount = fraction.Success ? whole + "." + fraction.Value : whole;
            return scale.Success ? $"{amount} {scale.Value} {units}" : $"{amount} {units}";
        }

        var wholeIsZero = whole.TrimStart('0').Length == 0;
        var wholeText = $"{whole} {(whole.TrimStart('0') == "1" ? unit : units)}";
        if (!fraction.Success || fraction.Value == "00")
        {
            return wholeText;
        }

        var cents = fraction.Value.TrimStart('0');
        var centsText = $"{cents} {(cents == "1" ? subunit : subunits)}";
        return wholeIsZero ? centsText : $"{wholeText} and {centsText}";
    }

    private static string ExpandClockTime(Match match)
    {
        var hour = match.Groups["h"].Value;
        var minute = match.Groups["m"].Value;
        return minute switch
        {
            "00" => hour,
            ['0', var digit] => $"{hour} oh {digit}",
            _ => $"{hour} {minute}",
        };
    }

    /// <summary>
    /// Splits on whitespace, hyphens and punctuation. Word characters are letters, digits, combining marks
    /// and apostrophes (trimmed from the ends of a word). Punctuation other than hyphens marks a phrase
    /// break on the following word. Letters and digits are split apart.
    /// </summary>
    private static List<WordToken> Tokenize(string s)
    {
        var tokens = new List<WordToken>();
        var current = new StringBuilder();
        var breakPending = false;

        void Flush()
        {
            var word = current.ToString().Trim('\'');
            current.Clear();
            if (word.Length > 0)
            {
                tokens.Add(new WordToken(word, breakPending));
                breakPending = false;
            }
        }

        foreach (var c in s)
        {
            if (IsWordCharacter(c))
            {
                if (current.Length > 0 && c != '\'' && current[^1] != '\''
                    && char.IsDigit(c) != char.IsDigit(current[^1]))
                {
                    Flush();
                }

                current.Append(c);
            }
            else
            {
                Flush();
                if (!char.IsWhiteSpace(c) && c != '-')
                {
                    breakPending = true;
                }
            }
        }

        Flush();
        return tokens;
    }

    private static bool IsWordCharacter(char c) =>
        c == '\'' || char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static string[] ExpandContraction(string word)
    {
        if (IrregularContractions.TryGetValue(word, out var irregular))
        {
            return irregular;
        }

        if (!word.Contains('\'', StringComparison.Ordinal))
        {
            return [word];
        }

        foreach (var (suffix, expansion) in ContractionSuffixes)
        {
            if (word.Length > suffix.Length && word.EndsWith(suffix, StringComparison.Ordinal))
            {
                // Recurse for stacked contractions: "i'd've" → "i would have".
                return [.. ExpandContraction(word[..^suffix.Length]), expansion];
            }
        }

        if (word.EndsWith("'s", StringComparison.Ordinal) && IsContractionStems.Contains(word[..^2]))
        {
            return [word[..^2], "is"];
        }

        return [word];
    }

    [GeneratedRegex(@"\b\p{L}(?:\.\p{L})+\b\.?", RegexOptions.CultureInvariant)]
    private static partial Regex AbbreviationRegex();

    [GeneratedRegex(
        @"(?<sym>[$€£])\s?(?<int>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.(?<frac>\d+))?(?:\s+(?<scale>hundred|thousand|million|billion|trillion)\b)?",
        RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyRegex();

    [GeneratedRegex(@"(?<=\d),(?=\d{3}(?!\d))", RegexOptions.CultureInvariant)]
    private static partial Regex DigitGroupCommaRegex();

    [GeneratedRegex(@"(?<=\d)\.(?<frac>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalRegex();

    [GeneratedRegex(@"\b(?<h>\d{1,2}):(?<m>\d{2})\b", RegexOptions.CultureInvariant)]
    private static partial Regex ClockTimeRegex();

    [GeneratedRegex(@"\b(\d+)(?:st|nd|rd|th)\b", RegexOptions.CultureInvariant)]
    private static partial Regex DigitOrdinalRegex();
}

/// <summary>A word and whether punctuation separated it from the previous word.</summary>
internal readonly record struct WordToken(string Text, bool BreakBefore);
