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

    /// <summary><c>name{labels,pair} value\n</c>: <paramref name="labels"/> are a series' own, <paramref name="pair"/> one more (or empty).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Line(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> pair, double value)
    {
        LineStart(name, labels, pair);
        Value(value);
        Bytes("\n"u8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Line(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> pair, long value)
    {
        LineStart(name, labels, pair);
        Format(value);
        Bytes("\n"u8);
    }

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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LineStart(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> pair)
    {
        Bytes(name);
        Bytes("{"u8);
        Bytes(labels);
        if (!pair.IsEmpty)
        {
            Bytes(","u8);
            Bytes(pair);
        }

        Bytes("} "u8);
    }

    /// <summary>
    /// A value as <see cref="Spell"/> spells it. Most are whole numbers (success, interval), milliseconds (last run) or
    /// ticks (HTTP phases): those are written from a long. Formatting them as doubles took a third of the writer's time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Value(double value)
    {
        if (!double.IsFinite(value))
        {
            Bytes(double.IsNaN(value) ? "NaN"u8 : value > 0 ? "+Inf"u8 : "-Inf"u8);
        }
        else if (Decimal(value, out var scaled, out var decimals))
        {
            Fixed(scaled, decimals);
        }
        else if (!Overflowed && value.TryFormat(_buffer[Position..], out var written, default, CultureInfo.InvariantCulture))
        {
            Position += written;
        }
        else
        {
            Overflowed = true;
        }
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
    private void Fixed(long scaled, int decimals)
    {
        if (scaled < 0)
        {
            Bytes("-"u8);
            scaled = -scaled;
        }

        Span<byte> digits = stackalloc byte[20];
        scaled.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        var wholeLength = Math.Max(0, length - decimals);
        var fraction = digits[wholeLength..length].TrimEnd((byte)'0');
        Bytes(wholeLength == 0 ? "0"u8 : digits[..wholeLength]);
        if (!fraction.IsEmpty)
        {
            Bytes("."u8);
            Bytes("0000000"u8[..Math.Max(0, decimals - length)]);
            Bytes(fraction);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Format(long value)
    {
        if (!Overflowed && value.TryFormat(_buffer[Position..], out var written, default, CultureInfo.InvariantCulture))
        {
            Position += written;
        }
        else
        {
            Overflowed = true;
        }
    }
}
