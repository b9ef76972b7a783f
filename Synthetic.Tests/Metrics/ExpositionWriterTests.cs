using System.Globalization;
using System.Text;
using Synthetic.Metrics;

namespace Synthetic.Tests.Metrics;

/// <summary>
/// The writer spells values from a long where it can (whole numbers, milliseconds, ticks): every spelling must be the
/// one double.ToString gives (shortest round trip), which is what prometheus-net wrote, for any double.
/// </summary>
public sealed class ExpositionWriterTests
{
    public static TheoryData<double> Edges => new(
        0.0, -0.0, 1, -1, 0.1 + 0.2, 1e-4, 0.00009999999999999999, 1.5e-5, 4e-7, 0.0001234567, 1e15, 1e15 - 1, 999999999999999.9,
        1796163946.626, 1796163946.6265, 17961639466.26, 0.0174721, 123456789.1234567, 450359962.7370496, 2251799813685248,
        -0.0009332, 3.45E-05, 60, 0.005, double.MaxValue, double.Epsilon, -double.Epsilon, 1.0 / 3, 2.0 / 3 * 1e7, 9007199254740993);

    [Theory]
    [MemberData(nameof(Edges))]
    public void Line_Edges_SpelledAsDoubleToString(double value) => Assert.Equal(Expected(value), Written(value));

    [Fact]
    public void Line_WholeNumbersMillisecondsTicksAndNoise_SpelledAsDoubleToString()
    {
        var random = new Random(20261201);
        var mismatches = new List<string>();
        for (var i = 0; i < 200_000; i++)
        {
            var value = (i % 5) switch
            {
                0 => random.NextInt64(-1_000_000_000_000, 1_000_000_000_000),
                1 => random.NextInt64(0, 4_000_000_000_000) / 1000.0,
                2 => random.NextInt64(0, 100_000_000_000) / 1e7,
                3 => random.NextDouble() * Math.Pow(10, random.Next(-8, 17)),
                _ => BitConverter.Int64BitsToDouble(random.NextInt64()),
            };
            if (Written(value) != Expected(value))
            {
                mismatches.Add($"{value:R}: {Written(value)}");
            }
        }

        Assert.Empty(mismatches);
    }

    [Fact]
    public void Line_NoRoomForTheValue_Overflows()
    {
        Span<byte> buffer = stackalloc byte[8];
        var writer = new ExpositionWriter(buffer);

        writer.Line("m{"u8, "a=\"b\""u8, "} "u8, 1796163946.626);

        Assert.True(writer.Overflowed);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(7L)]
    [InlineData(-42L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Line_Long_WrittenWithItsPair(long value)
    {
        Span<byte> buffer = stackalloc byte[96];
        var writer = new ExpositionWriter(buffer);

        writer.Line(ExpositionWriter.Open("m_total"), "a=\"b\""u8, ExpositionWriter.Close(("le", "0.5")), value);

        Assert.False(writer.Overflowed);
        Assert.Equal($"m_total{{a=\"b\",le=\"0.5\"}} {value.ToString(CultureInfo.InvariantCulture)}\n", Encoding.UTF8.GetString(buffer[..writer.Position]));
    }

    [Fact]
    public void Close_EscapesTheValue() =>
        Assert.Equal(",reason=\"a\\\\b\\\"c\\nd\"} ", Encoding.UTF8.GetString(ExpositionWriter.Close(("reason", "a\\b\"c\nd"))));

    private static string Expected(double value) =>
        $"m{{a=\"b\"}} {(double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : value.ToString(CultureInfo.InvariantCulture))}\n";

    private static string Written(double value)
    {
        Span<byte> buffer = stackalloc byte[64];
        var writer = new ExpositionWriter(buffer);
        writer.Line("m{"u8, "a=\"b\""u8, "} "u8, value);
        Assert.False(writer.Overflowed);
        return Encoding.UTF8.GetString(buffer[..writer.Position]);
    }
}
