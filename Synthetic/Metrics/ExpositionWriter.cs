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
    public void Bytes(ReadOnlySpan<byte> bytes)
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Value(double value)
    {
        if (!double.IsFinite(value))
        {
            Bytes(double.IsNaN(value) ? "NaN"u8 : value > 0 ? "+Inf"u8 : "-Inf"u8);
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
