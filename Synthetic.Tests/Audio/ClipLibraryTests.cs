using System.Text.Json;
using NAudio.Wave;
using Synthetic.Audio;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Audio;

public sealed class ClipLibraryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("synthetic-clips-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_RepositoryFixtures_EveryClipLoadsWithTrueDuration()
    {
        var folder = RepoPaths.Combine("fixtures", "audio");
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        var ids = manifest.RootElement.GetProperty("clips").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
        Assert.True(ids.Count >= 5, "the manifest should hold at least five clips");

        var (library, errors) = ClipLibrary.Load(folder, ids.ToDictionary(id => id, id => "Samples"));

        Assert.Empty(errors);
        Assert.All(library!.Clips, clip =>
        {
            Assert.Equal(16000, clip.SampleRate);
            Assert.Equal(1, clip.Channels);
            Assert.True(clip.TrueDuration > TimeSpan.FromSeconds(0.5));
            Assert.Equal(64, clip.Sha256.Length);
        });
        Assert.Contains(library.Clips, c => !c.ExpectsSpeech);
        Assert.True(library["quick-brown-fox"].RmsDbfs > ClipLibrary.SilenceDbfs);
    }

    [Fact]
    public void Load_ToneClip_MeasuresDurationAndLoudness()
    {
        WriteWav("tone.wav", seconds: 2.0, amplitude: 0.5);
        WriteManifest(("tone", "tone.wav", "a tone", 2.0));

        var (library, errors) = ClipLibrary.Load(_folder, new Dictionary<string, string> { ["tone"] = "Synthetic:Targets:0:Canary:Samples:0" });

        Assert.Empty(errors);
        Assert.Equal(2.0, library!["tone"].TrueDuration.TotalSeconds, 3);
        // A full-scale-0.5 sine is about -9 dBFS RMS.
        Assert.InRange(library["tone"].RmsDbfs, -10, -8);
    }

    [Fact]
    public void Load_SilentClipExpectingSpeech_RejectedNamingKey()
    {
        WriteWav("quiet.wav", seconds: 1.0, amplitude: 0);
        WriteManifest(("quiet", "quiet.wav", "hello world", 1.0));

        var (library, errors) = ClipLibrary.Load(_folder, new Dictionary<string, string> { ["quiet"] = "Synthetic:Targets:0:Canary:Samples:0" });

        Assert.Null(library);
        Assert.Contains(errors, e => e.StartsWith("Synthetic:Targets:0:Canary:Samples:0", StringComparison.Ordinal) && e.Contains("silent", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_CorruptMissingOrWrongFormat_AllReported()
    {
        File.WriteAllText(Path.Combine(_folder, "corrupt.wav"), "RIFF....not a wave file");
        WriteWav("lowrate.wav", seconds: 1.0, amplitude: 0.5, sampleRate: 8000);
        WriteManifest(("corrupt", "corrupt.wav", "x", 1.0), ("missing", "missing.wav", "x", 1.0), ("lowrate", "lowrate.wav", "x", 1.0));

        var (_, errors) = ClipLibrary.Load(_folder, new Dictionary<string, string>
        {
            ["corrupt"] = "k0", ["missing"] = "k1", ["lowrate"] = "k2", ["unknown"] = "k3",
        });

        Assert.Contains(errors, e => e.StartsWith("k0:", StringComparison.Ordinal) && e.Contains("not a readable WAV", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("k1:", StringComparison.Ordinal) && e.Contains("cannot be read", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("k2:", StringComparison.Ordinal) && e.Contains("16 kHz", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("k3:", StringComparison.Ordinal) && e.Contains("not in", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ManifestDurationWrong_Rejected()
    {
        WriteWav("tone.wav", seconds: 2.0, amplitude: 0.5);
        WriteManifest(("tone", "tone.wav", "a tone", 3.0));

        var (_, errors) = ClipLibrary.Load(_folder, new Dictionary<string, string> { ["tone"] = "k" });

        Assert.Contains(errors, e => e.Contains("manifest says 3.000 s", StringComparison.Ordinal));
    }

    private void WriteWav(string name, double seconds, double amplitude, int sampleRate = 16000)
    {
        using var writer = new WaveFileWriter(Path.Combine(_folder, name), new WaveFormat(sampleRate, 16, 1));
        var samples = (int)(seconds * sampleRate);
        for (var i = 0; i < samples; i++)
        {
            writer.WriteSample((float)(amplitude * Math.Sin(2 * Math.PI * 440 * i / sampleRate)));
        }
    }

    private void WriteManifest(params (string Id, string File, string Transcript, double Duration)[] clips)
    {
        var manifest = new { clips = clips.Select(c => new { id = c.Id, file = c.File, language = "en", transcript = c.Transcript, duration = c.Duration }) };
        File.WriteAllText(Path.Combine(_folder, "manifest.json"), JsonSerializer.Serialize(manifest));
    }
}
