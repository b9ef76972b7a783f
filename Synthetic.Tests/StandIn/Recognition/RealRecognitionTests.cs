using Synthetic.StandIn;
using Synthetic.StandIn.Recognition;

namespace Synthetic.Tests.StandIn.Recognition;

public sealed class RealRecognitionTests
{
    private static readonly MonoAudio Ramp = new([.. Enumerable.Range(1, 8).Select(i => i / 10f)], 16000);

    [Fact]
    public void Alter_WrongSampleRate_SameSamplesAtHalfTheRate()
    {
        var altered = RealRecognition.Alter(Ramp, ModeNames.WrongSampleRate);

        Assert.Equal(8000, altered.SampleRate);
        Assert.Equal(Ramp.Samples, altered.Samples);
        Assert.Equal(2 * Ramp.DurationSeconds, altered.DurationSeconds, 6);
    }

    [Fact]
    public void Alter_Truncated_FirstHalf()
    {
        var altered = RealRecognition.Alter(Ramp, ModeNames.Truncated);

        Assert.Equal(Ramp.Samples[..4], altered.Samples);
    }

    [Fact]
    public void Alter_SilenceDecoder_AsManyZeros()
    {
        var altered = RealRecognition.Alter(Ramp, ModeNames.SilenceDecoder);

        Assert.Equal(8, altered.Samples.Length);
        Assert.All(altered.Samples, s => Assert.Equal(0f, s));
    }

    [Theory]
    [InlineData(ModeNames.Truncated, "one two three")]
    [InlineData(ModeNames.SilenceDecoder, "")]
    [InlineData(ModeNames.WrongSampleRate, "one banana banana four banana banana")]
    [InlineData(ModeNames.Healthy, "one two three four five six")]
    public void AlterTranscript_HashPath_SameFaultOnTheManifestText(string mode, string expected)
    {
        Assert.Equal(expected, RealRecognition.AlterTranscript("one two three four five six", mode));
    }

    [Fact]
    public void To16kPcm_StereoMuLaw8k_MonoAt16kTwiceAsLong()
    {
        // 0.1 s of 8 kHz stereo μ-law; both channels the same.
        var wav = new MemoryStream();
        using (var writer = new NAudio.Wave.WaveFileWriter(wav, NAudio.Wave.WaveFormat.CreateMuLawFormat(8000, 2)))
        {
            var data = new byte[1600];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = NAudio.Codecs.MuLawEncoder.LinearToMuLawSample((short)(Math.Sin(i / 2 * 0.3) * 8000));
            }

            writer.Write(data, 0, data.Length);
        }

        var audio = RecognizerAudio.TryDecodeWav(wav.ToArray());
        Assert.NotNull(audio);
        var pcm = RecognizerAudio.To16kPcm(audio);

        Assert.Equal(8000, audio.SampleRate);
        Assert.Equal(800, audio.Samples.Length);
        Assert.InRange(pcm.Length, 1500, 1700);
        Assert.True(pcm.Max(s => Math.Abs((int)s)) > 4000);
    }

    [Fact]
    public void Load_ModelMissing_SaysWhatToInstall()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => PocketSphinxRecognizer.Load("/nonexistent/pocketsphinx/model"));

        Assert.Contains("apt-get install pocketsphinx pocketsphinx-en-us", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecodeWav_NotAWav_Null()
    {
        Assert.Null(RecognizerAudio.TryDecodeWav("definitely not audio"u8.ToArray()));
    }
}
