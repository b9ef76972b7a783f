using NAudio.Wave;
using Synthetic.Audio;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Audio;

public sealed class ClipThresholdsTests : IDisposable
{
    private const string Key = "Synthetic:Targets:0:Canary:Samples:0";

    private readonly string _folder = Directory.CreateTempSubdirectory("synthetic-thresholds-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_RepositoryFixtures_EverySpeechClipShipsThresholds()
    {
        var folder = RepoPaths.Combine("fixtures", "audio");
        var ids = new[] { "quick-brown-fox", "numbers-dates", "long-passage", "second-voice", "third-voice", "human-go-forward", "human-young-man" };

        var (library, errors) = ClipLibrary.Load(folder, ids.ToDictionary(id => id, _ => Key));

        Assert.Empty(errors);
        Assert.All(library!.Clips, clip =>
        {
            Assert.NotNull(clip.MaxWer);
            Assert.NotNull(clip.DegradedWer);
            Assert.True(clip.DegradedWer < clip.MaxWer, clip.Id);
        });
    }

    [Fact]
    public void Load_ManifestThresholds_OnTheClip()
    {
        Write("""{ "id": "tone", "file": "tone.wav", "transcript": "a tone", "maxWer": 0.4, "degradedWer": 0.2 }""");

        var (library, errors) = ClipLibrary.Load(_folder, new Dictionary<string, string> { ["tone"] = Key });

        Assert.Empty(errors);
        Assert.Equal(0.4, library!["tone"].MaxWer);
        Assert.Equal(0.2, library["tone"].DegradedWer);
    }

    [Fact]
    public void Load_NoThresholds_Null()
    {
        Write("""{ "id": "tone", "file": "tone.wav", "transcript": "a tone" }""");

        var (library, _) = ClipLibrary.Load(_folder, new Dictionary<string, string> { ["tone"] = Key });

        Assert.Null(library!["tone"].MaxWer);
        Assert.Null(library["tone"].DegradedWer);
    }

    [Theory]
    [InlineData("\"maxWer\": -0.1", "maxWer")]
    [InlineData("\"maxWer\": 0.2, \"degradedWer\": 0.3", "degradedWer")]
    public void Load_BadThresholds_RejectedNamingKeyAndField(string fields, string field)
    {
        Write($$"""{ "id": "tone", "file": "tone.wav", "transcript": "a tone", {{fields}} }""");

        var (library, errors) = ClipLibrary.Load(_folder, new Dictionary<string, string> { ["tone"] = Key });

        Assert.Null(library);
        Assert.Contains(errors, e => e.StartsWith(Key, StringComparison.Ordinal) && e.Contains(field, StringComparison.Ordinal));
    }

    private void Write(string entry)
    {
        using (var writer = new WaveFileWriter(Path.Combine(_folder, "tone.wav"), new WaveFormat(16000, 16, 1)))
        {
            for (var i = 0; i < 16000; i++)
            {
                writer.WriteSample((float)(0.5 * Math.Sin(i * 0.1)));
            }
        }

        File.WriteAllText(Path.Combine(_folder, "manifest.json"), $$"""{ "clips": [ {{entry}} ] }""");
    }
}
