using System.Buffers.Binary;
using System.Text.Json;

namespace Synthetic.Tests.StandIn;

/// <summary>
/// A fixtures folder of the tests' own (two generated WAV clips + manifest), so the stand-in's behaviour is
/// tested independently of the repository's real clips; one test covers those separately.
/// </summary>
public sealed class StandInTestFixtures : IDisposable
{
    public const string HelloTranscript = "Hello world, this is a stand-in test.";
    public const double HelloDuration = 1.0;
    public const string CountingTranscript = "One two three four five.";
    public const double CountingDuration = 1.5;

    public StandInTestFixtures()
    {
        DirectoryPath = Path.Combine(Path.GetTempPath(), "standin-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DirectoryPath);
        Hello = Wav(HelloDuration, frequency: 440);
        Counting = Wav(CountingDuration, frequency: 660);
        File.WriteAllBytes(Path.Combine(DirectoryPath, "hello.wav"), Hello);
        File.WriteAllBytes(Path.Combine(DirectoryPath, "counting.wav"), Counting);
        var manifest = new
        {
            clips = new object[]
            {
                new { id = "hello", file = "hello.wav", language = "en", transcript = HelloTranscript, duration = HelloDuration, notes = "generated tone" },
                new { id = "counting", file = "counting.wav", language = "en", transcript = CountingTranscript, duration = CountingDuration },
            },
        };
        File.WriteAllText(Path.Combine(DirectoryPath, "manifest.json"), JsonSerializer.Serialize(manifest));
    }

    public string DirectoryPath { get; }

    public byte[] Hello { get; }

    public byte[] Counting { get; }

    /// <summary>A valid WAV that is no fixture clip.</summary>
    public static byte[] UnknownWav(double seconds = 0.5) => Wav(seconds, frequency: 880);

    /// <summary>16 kHz, mono, 16-bit PCM sine tone.</summary>
    public static byte[] Wav(double seconds, double frequency)
    {
        const int sampleRate = 16_000;
        var samples = (int)(seconds * sampleRate);
        var data = samples * 2;
        var bytes = new byte[44 + data];
        var span = bytes.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + data);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], data);
        for (var i = 0; i < samples; i++)
        {
            var value = (short)(Math.Sin(2 * Math.PI * frequency * i / sampleRate) * 8000);
            BinaryPrimitives.WriteInt16LittleEndian(span[(44 + (2 * i))..], value);
        }

        return bytes;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(DirectoryPath, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
