using System.Security.Cryptography;
using NAudio.Codecs;
using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace Synthetic.Audio;

/// <summary>
/// Variants of a 16-bit PCM clip, built in memory at start-up: <c>&lt;id&gt;@telephony</c> (8 kHz μ-law, the
/// telephony path), <c>&lt;id&gt;@noisy</c> (white noise at 10 dB SNR, the same noise every time) and
/// <c>&lt;id&gt;@44k</c> (44.1 kHz stereo). With a real recognizer they exercise a server's resampling, μ-law
/// decoding and noise handling; the expected transcript is the base clip's.
/// </summary>
internal static class AudioVariants
{
    public const string Telephony = "telephony";
    public const string Noisy = "noisy";
    public const string FortyFourK = "44k";

    /// <summary>Signal-to-noise ratio of <c>@noisy</c>, in dB.</summary>
    public const double NoisySnrDb = 10;

    public static IReadOnlyList<string> Names { get; } = [Telephony, Noisy, FortyFourK];

    /// <summary>Splits <c>quick-brown-fox@noisy</c> into its base id and variant (null when there is no <c>@</c>).</summary>
    public static (string BaseId, string? Variant) Split(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var at = id.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? (id, null) : (id[..at], id[(at + 1)..]);
    }

    public static bool IsKnown(string variant) => Names.Contains(variant, StringComparer.Ordinal);

    /// <summary>
    /// The clip <c>&lt;id&gt;@&lt;variant&gt;</c> of a loaded base clip: new bytes and format, the base's transcript
    /// and language, the manifest's thresholds for this variant (else the base clip's); its true duration
    /// measured on the new audio.
    /// </summary>
    public static Clip Derive(Clip baseClip, string variant, double? maxWer = null, double? degradedWer = null)
    {
        ArgumentNullException.ThrowIfNull(baseClip);
        var bytes = Build(baseClip.Bytes, variant);
        using var reader = new WaveFileReader(new MemoryStream(bytes, writable: false));
        var format = reader.WaveFormat;
        return baseClip with
        {
            Id = $"{baseClip.Id}@{variant}",
            File = $"{Path.GetFileNameWithoutExtension(baseClip.File)}-{variant}.wav",
            TrueDuration = reader.TotalTime,
            SampleRate = format.SampleRate,
            Channels = format.Channels,
            BitsPerSample = format.BitsPerSample,
            Bytes = bytes,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            MaxWer = maxWer ?? baseClip.MaxWer,
            DegradedWer = degradedWer ?? baseClip.DegradedWer,
        };
    }

    /// <summary>The variant's WAV bytes from a 16-bit PCM WAV; throws <see cref="ArgumentException"/> for an unknown variant.</summary>
    public static byte[] Build(byte[] wav, string variant)
    {
        var (samples, rate) = ReadMono(wav);
        return variant switch
        {
            Telephony => MuLawWav(Resample(samples, rate, 8000), 8000),
            Noisy => PcmWav(AddNoise(samples, NoisySnrDb), rate, channels: 1),
            FortyFourK => PcmWav(Resample(samples, rate, 44100), 44100, channels: 2),
            _ => throw new ArgumentException($"unknown audio variant '{variant}' (known: {string.Join(", ", Names)})", nameof(variant)),
        };
    }

    private static (float[] Samples, int Rate) ReadMono(byte[] wav)
    {
        using var reader = new WaveFileReader(new MemoryStream(wav, writable: false));
        var format = reader.WaveFormat;
        if (format.Encoding != WaveFormatEncoding.Pcm || format.BitsPerSample != 16)
        {
            throw new InvalidDataException("audio variants are built from 16-bit PCM clips only");
        }

        var data = new byte[reader.Length];
        var read = reader.Read(data, 0, data.Length);
        var frames = read / 2 / format.Channels;
        var mono = new float[frames];
        for (var i = 0; i < frames; i++)
        {
            float sum = 0;
            for (var c = 0; c < format.Channels; c++)
            {
                sum += BitConverter.ToInt16(data, ((i * format.Channels) + c) * 2) / 32768f;
            }

            mono[i] = sum / format.Channels;
        }

        return (mono, format.SampleRate);
    }

    private static float[] Resample(float[] samples, int fromRate, int toRate)
    {
        if (fromRate == toRate)
        {
            return samples;
        }

        var resampler = new WdlResamplingSampleProvider(new BufferSampleProvider(samples, fromRate), toRate);
        var output = new List<float>((int)((long)samples.Length * toRate / fromRate) + 1024);
        var buffer = new float[8192];
        int n;
        while ((n = resampler.Read(buffer)) > 0)
        {
            output.AddRange(buffer.AsSpan(0, n));
        }

        return [.. output];
    }

    /// <summary>Gaussian white noise scaled to <paramref name="snrDb"/> below the clip's RMS; a fixed seed, so the same bytes every start.</summary>
    private static float[] AddNoise(float[] samples, double snrDb)
    {
        double sumSquares = 0;
        foreach (var s in samples)
        {
            sumSquares += s * s;
        }

        var signalRms = samples.Length == 0 ? 0 : Math.Sqrt(sumSquares / samples.Length);
        var noiseRms = signalRms / Math.Pow(10, snrDb / 20);
        var noisy = new float[samples.Length];
        var state = 0x9E3779B97F4A7C15UL;
        for (var i = 0; i < samples.Length; i++)
        {
            // Box-Muller over a xorshift64* generator: deterministic whatever the runtime's Random does.
            var u1 = (Next(ref state) + 1.0) / 9007199254740993.0;
            var u2 = Next(ref state) / 9007199254740992.0;
            var gaussian = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            noisy[i] = (float)Math.Clamp(samples[i] + (gaussian * noiseRms), -1.0, 1.0);
        }

        return noisy;
    }

    /// <summary>53 random bits from xorshift64*.</summary>
    private static double Next(ref ulong state)
    {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return (state * 0x2545F4914F6CDD1DUL) >> 11;
    }

    private static byte[] PcmWav(float[] mono, int rate, int channels)
    {
        var data = new byte[mono.Length * 2 * channels];
        for (var i = 0; i < mono.Length; i++)
        {
            var value = (short)Math.Clamp(MathF.Round(mono[i] * 32767f), short.MinValue, short.MaxValue);
            for (var c = 0; c < channels; c++)
            {
                BitConverter.TryWriteBytes(data.AsSpan(((i * channels) + c) * 2), value);
            }
        }

        return Wav(new WaveFormat(rate, 16, channels), data);
    }

    private static byte[] MuLawWav(float[] mono, int rate)
    {
        var data = new byte[mono.Length];
        for (var i = 0; i < mono.Length; i++)
        {
            data[i] = MuLawEncoder.LinearToMuLawSample((short)Math.Clamp(MathF.Round(mono[i] * 32767f), short.MinValue, short.MaxValue));
        }

        return Wav(WaveFormat.CreateMuLawFormat(rate, 1), data);
    }

    private static byte[] Wav(WaveFormat format, byte[] data)
    {
        using var stream = new MemoryStream();
        // NAudio 3 leaves a caller-supplied stream open; disposing the writer finishes the header.
        using (var writer = new WaveFileWriter(stream, format))
        {
            writer.Write(data, 0, data.Length);
        }

        return stream.ToArray();
    }

    /// <summary>Feeds an in-memory buffer to NAudio's sample-provider chain.</summary>
    private sealed class BufferSampleProvider(float[] samples, int sampleRate) : ISampleProvider
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
