using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Synthetic.Metrics;

/// <summary>
/// Writes Prometheus text-format (0.0.4) lines into a fixed span. A write that does not fit sets <see cref="Overflowed"/>
/// and the caller writes the whole row again into a fresh buffer, so a row is never split between two buffers.
/// </summary>
internal ref struct ExpositionWriter(Span<byte> buffer)
{
    private readonly Span<byte> _buffer = buffer;

    public int Position { get; private set; }

    public bool Overflowed { get; private set; }

    /// <summary>The most bytes a value takes: <c>-1.7976931348623157E+308</c> is 24.</summary>
    private const int MaxValueLength = 32;

    /// <summary>
    /// <c>name{labels,pair} value\n</c> from three pieces encoded once: <paramref name="open"/> is <c>name{</c>
    /// (<see cref="Open"/>), <paramref name="labels"/> the series' own pairs, <paramref name="close"/> one more pair and
    /// <c>} </c> (<see cref="Close"/>). Room for the whole line is checked once, then it is copied without further checks:
    /// a scrape at 10,000 checks writes 320,000 lines.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Line(ReadOnlySpan<byte> open, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> close, double value)
    {
        if (LineStart(open, labels, close, out var rest, out var used))
        {
            used += Value(rest[used..], value);
            rest[used] = (byte)'\n';
            Position += used + 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Line(ReadOnlySpan<byte> open, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> close, long value)
    {
        if (LineStart(open, labels, close, out var rest, out var used))
        {
            Utf8Formatter.TryFormat(value, rest[used..], out var written);
            used += written;
            rest[used] = (byte)'\n';
            Position += used + 1;
        }
    }

    /// <summary><c>name{</c>: a line's opening, for <see cref="Line(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, long)"/>.</summary>
    public static byte[] Open(string name) => Encoding.UTF8.GetBytes(name + "{");

    /// <summary><c>,name="value"} </c> (or <c>} </c> without pairs): a line's close, its value escaped as in <see cref="LabelPairs"/>.</summary>
    public static byte[] Close(params ReadOnlySpan<(string Name, string Value)> labels) =>
        [.. (labels.IsEmpty ? ""u8 : [(byte)',', .. LabelPairs(labels)]), .. "} "u8];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Bytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (Overflowed || !bytes.TryCopyTo(_buffer[Position..]))
        {
            Overflowed = true;
            return;
        }

        Position += bytes.Length;
    }

    /// <summary>A label value as the text format wants it: backslash, double quote and newline escaped.</summary>
    public static byte[] LabelPairs(params ReadOnlySpan<(string Name, string Value)> labels)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in labels)
        {
            text.Append(text.Length == 0 ? string.Empty : ",").Append(name).Append("=\"")
                .Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                    .Replace("\n", "\\n", StringComparison.Ordinal))
                .Append('"');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The text format's spelling of a sample value (shortest round-trip, <c>+Inf</c>, <c>NaN</c>).</summary>
    public static string Spell(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf"
            : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Copies the line up to its value; false (and <see cref="Overflowed"/>) without room for the whole line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool LineStart(ReadOnlySpan<byte> open, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> close, out Span<byte> rest, out int used)
    {
        rest = _buffer[Position..];
        used = open.Length + labels.Length + close.Length;
        if (Overflowed || rest.Length < used + MaxValueLength + 1)
        {
            Overflowed = true;
            return false;
        }

        open.CopyTo(rest);
        labels.CopyTo(rest[open.Length..]);
        close.CopyTo(rest[(open.Length + labels.Length)..]);
        return true;
    }

    /// <summary>
    /// A value as <see cref="Spell"/> spells it. Most are whole numbers (success, interval), milliseconds (last run) or
    /// ticks (HTTP phases): those are written from a long. Formatting them as doubles took a third of the writer's time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Value(Span<byte> destination, double value)
    {
        if (!double.IsFinite(value))
        {
            var spelled = double.IsNaN(value) ? "NaN"u8 : value > 0 ? "+Inf"u8 : "-Inf"u8;
            spelled.CopyTo(destination);
            return spelled.Length;
        }

        if (Decimal(value, out var scaled, out var decimals))
        {
            return Fixed(destination, scaled, decimals);
        }

        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }

    /// <summary>
    /// Whether <paramref name="value"/> is <paramref name="scaled"/> × 10^-<paramref name="decimals"/> (0, 3 or 7 decimals),
    /// in the range double.ToString writes without an exponent. Then that decimal, trailing zeros trimmed, is exactly
    /// double.ToString's shortest round trip: <c>scaled / 10^decimals</c> rounds to the value (checked), and below 2^51
    /// the value's spacing is finer than 10^-decimals, so no other decimal on that grid, and none shorter, rounds to it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Decimal(double value, out long scaled, out int decimals)
    {
        const double Limit = 1L << 51;
        var magnitude = Math.Abs(value);
        (scaled, decimals) = (0, 0);
        if (value == 0)
        {
            return !double.IsNegative(value);
        }

        if (magnitude < 1e-4 || magnitude >= 1e15)
        {
            return false;
        }

        ReadOnlySpan<double> scales = [1, 1e3, 1e7];
        ReadOnlySpan<int> places = [0, 3, 7];
        for (var i = 0; i < scales.Length; i++)
        {
            var product = value * scales[i];
            if (Math.Abs(product) < Limit && product == Math.Floor(product) && product / scales[i] == value)
            {
                (scaled, decimals) = ((long)product, places[i]);
                return true;
            }
        }

        return false;
    }

    /// <summary><paramref name="scaled"/> × 10^-<paramref name="decimals"/> in plain decimal, without trailing zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Fixed(Span<byte> destination, long scaled, int decimals)
    {
        Utf8Formatter.TryFormat(scaled, destination, out var length);
        if (decimals == 0)
        {
            return length;
        }

        var sign = scaled < 0 ? 1 : 0;
        var digits = destination[sign..length];
        var wholeLength = Math.Max(0, digits.Length - decimals);
        var fraction = digits[wholeLength..].TrimEnd((byte)'0');

        // Decimal gives places only to a value that is not whole, so some fraction digit is not 0.
        Debug.Assert(!fraction.IsEmpty, "a fixed-point value with places has a fraction");

        // 1234567 with 7 places: 0.1234567; 1234567 with 3 places: 1234.567. The fraction moves right, by one byte for
        // the point, plus the zeros in front of it and a leading 0 when the whole part is empty.
        var zeros = Math.Max(0, decimals - digits.Length);
        var fractionAt = sign + (wholeLength == 0 ? 1 : wholeLength) + 1 + zeros;
        fraction.CopyTo(destination[fractionAt..]);
        destination.Slice(fractionAt - zeros, zeros).Fill((byte)'0');
        destination[fractionAt - zeros - 1] = (byte)'.';
        if (wholeLength == 0)
        {
            destination[sign] = (byte)'0';
        }

        return fractionAt + fraction.Length;
    }
}
