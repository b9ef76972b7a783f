using NAudio.Wave;
using Synthetic.Audio;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Audio;

public sealed class AudioVariantsTests
{
    private const string Key = "Synthetic:Targets:0:Canary:Samples:0";

    private static readonly string Folder = RepoPaths.Combine("fixtures", "audio");
    private static readonly byte[] Fox = File.ReadAllBytes(Path.Combine(Folder, "quick-brown-fox.wav"));

    [Fact]
    public void Build_Telephony_8kMuLawMonoSameDuration()
    {
        using var reader = new WaveFileReader(new MemoryStream(AudioVariants.Build(Fox, AudioVariants.Telephony)));

        Assert.Equal(WaveFormatEncoding.MuLaw, reader.WaveFormat.Encoding);
        Assert.Equal(8000, reader.WaveFormat.SampleRate);
        Assert.Equal(1, reader.WaveFormat.Channels);
        Assert.Equal(3.125, reader.TotalTime.TotalSeconds, 1);
    }

    [Fact]
    public void Build_44k_StereoPcmSameDuration()
    {
        using var reader = new WaveFileReader(new MemoryStream(AudioVariants.Build(Fox, AudioVariants.FortyFourK)));

        Assert.Equal(WaveFormatEncoding.Pcm, reader.WaveFormat.Encoding);
        Assert.Equal(44100, reader.WaveFormat.SampleRate);
        Assert.Equal(2, reader.WaveFormat.Channels);
        Assert.Equal(16, reader.WaveFormat.BitsPerSample);
        Assert.Equal(3.125, reader.TotalTime.TotalSeconds, 1);
    }

    [Fact]
    public void Build_Noisy_TenDbSnrAndTheSameBytesEveryTime()
    {
        var noisy = AudioVariants.Build(Fox, AudioVariants.Noisy);

        Assert.Equal(noisy, AudioVariants.Build(Fox, AudioVariants.Noisy));
        var clean = Samples(Fox);
        var mixed = Samples(noisy);
        Assert.Equal(clean.Length, mixed.Length);
        double signal = 0, noise = 0;
        for (var i = 0; i < clean.Length; i++)
        {
            signal += clean[i] * clean[i];
            noise += (mixed[i] - clean[i]) * (mixed[i] - clean[i]);
        }

        Assert.InRange(10 * Math.Log10(signal / noise), 9.5, 10.5);
    }

    [Fact]
    public void Build_UnknownVariant_Throws()
    {
        Assert.Throws<ArgumentException>(() => AudioVariants.Build(Fox, "radio"));
    }

    [Fact]
    public void Load_VariantId_BuiltInMemoryWithTheBaseTranscriptAndItsOwnThresholds()
    {
        var (library, errors) = ClipLibrary.Load(Folder, new Dictionary<string, string>
        {
            ["quick-brown-fox@telephony"] = Key,
            ["quick-brown-fox@44k"] = Key,
        });

        Assert.Empty(errors);
        var telephony = library!["quick-brown-fox@telephony"];
        Assert.Equal("The quick brown fox jumps over the lazy dog.", telephony.Transcript);
        Assert.Equal(8000, telephony.SampleRate);
        Assert.Equal(0.65, telephony.MaxWer);
        Assert.Equal(0.50, telephony.DegradedWer);
        // No own thresholds for @44k of this clip: the base clip's.
        Assert.Equal(0.55, library["quick-brown-fox@44k"].MaxWer);
        Assert.False(library.Contains("quick-brown-fox"));
    }

    [Theory]
    [InlineData("quick-brown-fox@radio", "unknown audio variant 'radio'")]
    [InlineData("no-such-clip@noisy", "sample 'no-such-clip' is not in")]
    public void Load_BadVariantId_RejectedNamingKey(string id, string message)
    {
        var (library, errors) = ClipLibrary.Load(Folder, new Dictionary<string, string> { [id] = Key });

        Assert.Null(library);
        Assert.Contains(errors, e => e.StartsWith(Key, StringComparison.Ordinal) && e.Contains(message, StringComparison.Ordinal));
    }

    private static short[] Samples(byte[] wav)
    {
        using var reader = new WaveFileReader(new MemoryStream(wav));
        var bytes = new byte[reader.Length];
        var read = reader.Read(bytes, 0, bytes.Length);
        var samples = new short[read / 2];
        Buffer.BlockCopy(bytes, 0, samples, 0, read);
        return samples;
    }
}
