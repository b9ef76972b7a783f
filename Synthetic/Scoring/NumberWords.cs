using System.Collections.Frozen;
using System.Globalization;

namespace Synthetic.Scoring;

/// <summary>
/// Rewrites spelled-out numbers as digits so "twenty five" and "25" compare equal.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Cardinals and ordinals: "one thousand two hundred (and) fifty" → 1250, "twenty-first" → 21,
/// "third" → 3; "and" is absorbed only after hundred/thousand/… and before a number word; "a hundred" /
/// "a thousand" → 100 / 1000; a digit group can take a scale word ("3 million" → 3000000).</item>
/// <item>Words that cannot continue a number start a new one: "ten thirty" → "10 30", "one two" → "1 2".
/// Punctuation between words also ends a number ("twenty, five" → "20 5").</item>
/// <item>Years: two adjacent plain numbers where the first is 13–99 and the second 10–99 are read as a
/// year: "nineteen ninety nine" → 1999, "twenty twenty-four" → 2024; "nineteen oh five" → 1905.
/// The first part must be at least 13 so clock times ("ten thirty", "twelve fifteen") stay two numbers.
/// Limitation: years 1000–1299 read that way stay split ("eleven sixty six" → "11 66"), and pairs that
/// are not years are joined ("fifty fifty" → 5050, "thirteen thirty" → 1330).</item>
/// <item>Digit strings are kept verbatim ("007" stays "007") unless followed by a scale word.</item>
/// <item>"first"/"second" always count as numbers ("one second" → "1 2"); applied to both sides of the
/// comparison, so this only matters for the diff text.</item>
/// </list>
/// </remarks>
internal static class NumberWords
{
    private enum Part
    {
        None,
        Zero,
        Digits,
        Unit,
        Teen,
        Tens,
        Hundred,
        Scale,
    }

    private static readonly FrozenDictionary<string, (Part Part, long Value, bool Ordinal)> Words = BuildWords();

    /// <summary>Words with number words replaced by digits.</summary>
    public static List<string> ToDigits(IReadOnlyList<WordToken> tokens)
    {
        var items = new List<Item>(tokens.Count);
        var group = new Group();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var next = i + 1 < tokens.Count && !tokens[i + 1].BreakBefore ? tokens[i + 1].Text : null;
            if (token.BreakBefore)
            {
                group.FlushTo(items);
            }

            if (token.Text == "a" && next is not null && IsPart(next, Part.Hundred, Part.Scale))
            {
                group.FlushTo(items);
                group.TryAdd(Part.Unit, 1, token.BreakBefore);
                continue;
            }

            if (token.Text == "and" && group.CanTakeAnd && next is not null && IsPart(next, Part.Unit, Part.Teen, Part.Tens))
            {
                continue;
            }

            if (Words.TryGetValue(token.Text, out var word))
            {
                if (!group.TryAdd(word.Part, word.Value, token.BreakBefore))
                {
                    group.FlushTo(items);
                    group.TryAdd(word.Part, word.Value, token.BreakBefore);
                }

                if (word.Ordinal)
                {
                    group.IsPlain = false;
                    group.FlushTo(items);
                }

                continue;
            }

            group.FlushTo(items);
            if (token.Text.All(char.IsAsciiDigit)
                && long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var digits))
            {
                group.StartDigits(token.Text, digits, token.BreakBefore);
            }
            else
            {
                items.Add(new Item(token.Text, null, false, token.BreakBefore));
            }
        }

        group.FlushTo(items);
        return JoinYears(items);
    }

    private static bool IsPart(string word, params ReadOnlySpan<Part> parts) =>
        Words.TryGetValue(word, out var entry) && parts.Contains(entry.Part);

    private static List<string> JoinYears(List<Item> items)
    {
        var result = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item is { IsPlain: true, Value: >= 13 and <= 99 } && i + 1 < items.Count)
            {
                var second = items[i + 1];
                if (second is { IsPlain: true, Value: >= 10 and <= 99, BreakBefore: false })
                {
                    result.Add(((item.Value.Value * 100) + second.Value.Value).ToString(CultureInfo.InvariantCulture));
                    i++;
                    continue;
                }

                if (second is { Text: "oh", BreakBefore: false } && i + 2 < items.Count
                    && items[i + 2] is { IsPlain: true, Value: >= 1 and <= 9, BreakBefore: false } third)
                {
                    result.Add(((item.Value.Value * 100) + third.Value.Value).ToString(CultureInfo.InvariantCulture));
                    i += 2;
                    continue;
                }
            }

            result.Add(item.Text);
        }

        return result;
    }

    private static FrozenDictionary<string, (Part Part, long Value, bool Ordinal)> BuildWords()
    {
        var words = new Dictionary<string, (Part, long, bool)>(StringComparer.Ordinal);
        string[] units = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
        string[] unitOrdinals = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"];
        string[] teens = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
        string[] teenOrdinals = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"];
        string[] tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
        string[] tensOrdinals = ["twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"];
        for (var i = 0; i < units.Length; i++)
        {
            words[units[i]] = (Part.Unit, i + 1, false);
            words[unitOrdinals[i]] = (Part.Unit, i + 1, true);
        }

        for (var i = 0; i < teens.Length; i++)
        {
            words[teens[i]] = (Part.Teen, i + 10, false);
            words[teenOrdinals[i]] = (Part.Teen, i + 10, true);
        }

        for (var i = 0; i < tens.Length; i++)
        {
            words[tens[i]] = (Part.Tens, (i + 2) * 10, false);
            words[tensOrdinals[i]] = (Part.Tens, (i + 2) * 10, true);
        }

        words["zero"] = (Part.Zero, 0, false);
        words["hundred"] = (Part.Hundred, 100, false);
        words["hundredth"] = (Part.Hundred, 100, true);
        (string Word, long Value)[] scales = [("thousand", 1_000), ("million", 1_000_000), ("billion", 1_000_000_000), ("trillion", 1_000_000_000_000)];
        foreach (var (word, value) in scales)
        {
            words[word] = (Part.Scale, value, false);
            words[word + "th"] = (Part.Scale, value, true);
        }

        return words.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>An output word; <see cref="Value"/> is set for numbers. Plain = made only of units/teens/tens words.</summary>
    private sealed record Item(string Text, long? Value, bool IsPlain, bool BreakBefore);

    /// <summary>The number being read: <c>total</c> holds completed thousand/million… blocks, <c>current</c> the block below them.</summary>
    private sealed class Group
    {
        private long _total;
        private long _current;
        private long _lastScale = long.MaxValue;
        private Part _last = Part.None;
        private string? _digits;
        private bool _breakBefore;

        public bool IsPlain { get; set; }

        public bool CanTakeAnd => _last is Part.Hundred or Part.Scale;

        public void StartDigits(string text, long value, bool breakBefore)
        {
            _digits = text;
            _current = value;
            _last = Part.Digits;
            _breakBefore = breakBefore;
            IsPlain = false;
        }

        /// <summary>Adds a number word if it can continue the current number (always, if none is open).</summary>
        public bool TryAdd(Part part, long value, bool breakBefore)
        {
            if (_last == Part.None)
            {
                _breakBefore = breakBefore;
                IsPlain = part is Part.Unit or Part.Teen or Part.Tens;
                _last = part;
                if (part == Part.Scale)
                {
                    _total = value;
                    _lastScale = value;
                }
                else
                {
                    _current = value;
                }

                return true;
            }

            var accepted = part switch
            {
                Part.Unit => _last is Part.Tens or Part.Hundred or Part.Scale,
                Part.Teen or Part.Tens => _last is Part.Hundred or Part.Scale,
                Part.Hundred => _last is Part.Unit or Part.Teen or Part.Tens or Part.Digits && _current is > 0 and < 100,
                Part.Scale => _last is Part.Unit or Part.Teen or Part.Tens or Part.Hundred or Part.Digits
                    && _current is > 0 and < 1000 && value < _lastScale,
                _ => false,
            };
            if (!accepted)
            {
                return false;
            }

            switch (part)
            {
                case Part.Hundred:
                    _current *= 100;
                    IsPlain = false;
                    break;
                case Part.Scale:
                    _total += _current * value;
                    _current = 0;
                    _lastScale = value;
                    IsPlain = false;
                    break;
                default:
                    _current += value;
                    break;
            }

            _last = part;
            _digits = null;
            return true;
        }

        public void FlushTo(List<Item> items)
        {
            if (_last == Part.None)
            {
                return;
            }

            var value = _total + _current;
            var text = _digits ?? value.ToString(CultureInfo.InvariantCulture);
            items.Add(new Item(text, value, IsPlain, _breakBefore));
            _total = 0;
            _current = 0;
            _lastScale = long.MaxValue;
            _last = Part.None;
            _digits = null;
            IsPlain = false;
        }
    }
}
