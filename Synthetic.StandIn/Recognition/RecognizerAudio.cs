using System.Buffers.Binary;
using NAudio.Codecs;
using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace Synthetic.StandIn.Recognition;

/// <summary>Decoded audio: mono samples in [-1, 1] at <paramref name="SampleRate"/>.</summary>
internal sealed record MonoAudio(float[] Samples, int SampleRate)
{
    public double DurationSeconds => SampleRate == 0 ? 0 : (double)Samples.Length / SampleRate;
}

/// <summary>
/// Turns an uploaded WAV (PCM 8/16/24/32-bit, IEEE float, μ-law or A-law; mono or multi-channel; any rate)
/// into what a recognizer takes: 16 kHz mono 16-bit, resampled with NAudio's managed WDL resampler.
/// </summary>
internal static class RecognizerAudio
{
    public const int RecognizerRate = 16000;

    /// <summary>The audio of a WAV file mixed down to mono, or null when it is not a WAV NAudio can read.</summary>
    public static MonoAudio? TryDecodeWav(byte[] wav)
    {
        try
        {
            using var reader = new WaveFileReader(new MemoryStream(wav, writable: false));
            var format = reader.WaveFormat;
            var data = new byte[reader.Length];
            var read = reader.Read(data, 0, data.Length);
            var interleaved = ToFloats(data.AsSpan(0, read), format);
            return interleaved is null ? null : new MonoAudio(MixDown(interleaved, format.Channels), format.SampleRate);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or EndOfStreamException or ArgumentException or IOException)
        {
            return null;
        }
    }

    /// <summary>Resamples to 16 kHz (when needed) and converts to 16-bit.</summary>
    public static short[] To16kPcm(MonoAudio audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var samples = audio.SampleRate == RecognizerRate || audio.Samples.Length == 0
            ? audio.Samples
            : Resample(audio.Samples, audio.SampleRate, RecognizerRate);
        var pcm = new short[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            pcm[i] = (short)Math.Clamp(MathF.Round(samples[i] * 32767f), short.MinValue, short.MaxValue);
        }

        return pcm;
    }

    private static float[] Resample(float[] samples, int fromRate, int toRate)
    {
        var resampler = new WdlResamplingSampleProvider(new ArraySampleProvider(samples, fromRate), toRate);
        var output = new List<float>((int)((long)samples.Length * toRate / fromRate) + 1024);
        var buffer = new float[8192];
        int n;
        while ((n = resampler.Read(buffer)) > 0)
        {
            output.AddRange(buffer.AsSpan(0, n));
        }

        return [.. output];
    }

    private static float[]? ToFloats(ReadOnlySpan<byte> data, WaveFormat format)
    {
        switch (format.Encoding, format.BitsPerSample)
        {
            case (WaveFormatEncoding.Pcm, 16):
                return Convert(data, 2, b => BinaryPrimitives.ReadInt16LittleEndian(b) / 32768f);
            case (WaveFormatEncoding.Pcm, 8):
                return Convert(data, 1, b => (b[0] - 128) / 128f);
            case (WaveFormatEncoding.Pcm, 24):
                return Convert(data, 3, b => ((b[0] | (b[1] << 8) | ((sbyte)b[2] << 16)) / 8388608f));
            case (WaveFormatEncoding.Pcm, 32):
                return Convert(data, 4, b => BinaryPrimitives.ReadInt32LittleEndian(b) / 2147483648f);
            case (WaveFormatEncoding.IeeeFloat, 32):
                return Convert(data, 4, BinaryPrimitives.ReadSingleLittleEndian);
            case (WaveFormatEncoding.MuLaw, 8):
                return Convert(data, 1, b => MuLawDecoder.MuLawToLinearSample(b[0]) / 32768f);
            case (WaveFormatEncoding.ALaw, 8):
                return Convert(data, 1, b => ALawDecoder.ALawToLinearSample(b[0]) / 32768f);
            default:
                return null;
        }
    }

    private delegate float SampleReader(ReadOnlySpan<byte> bytes);

    private static float[] Convert(ReadOnlySpan<byte> data, int width, SampleReader read)
    {
        var samples = new float[data.Length / width];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = read(data.Slice(i * width, width));
        }

        return samples;
    }

    private static float[] MixDown(float[] interleaved, int channels)
    {
        if (channels <= 1)
        {
            return interleaved;
        }

        var mono = new float[interleaved.Length / channels];
        for (var i = 0; i < mono.Length; i++)
        {
            var sum = 0f;
            for (var c = 0; c < channels; c++)
            {
                sum += interleaved[(i * channels) + c];
            }

            mono[i] = sum / channels;
        }

        return mono;
    }

    /// <summary>Feeds an in-memory buffer to NAudio's sample-provider chain.</summary>
    private sealed class ArraySampleProvider(float[] samples, int sampleRate) : ISampleProvider
    {
        private int _position;

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1);

        public int Read(Span<float> buffer)
        {
            var n = Math.Min(buffer.Length, samples.Length - _position);
            samples.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }
}
