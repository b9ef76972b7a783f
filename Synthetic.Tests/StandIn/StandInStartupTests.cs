using System.Net;
using System.Text.Json;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.StandIn;

/// <summary>Starting the stand-in: ports, fixtures, bad URLs.</summary>
public sealed class StandInStartupTests(StandInTestFixtures fixtures) : StandInTestBase(fixtures), IClassFixture<StandInTestFixtures>
{
    [Fact]
    public async Task StartAsync_PortZero_ReportsTheRealLoopbackPort()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal("127.0.0.1", server.BaseUrl.Host);
        Assert.NotEqual(0, server.BaseUrl.Port);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StartAsync_TwoServers_GetDifferentPorts()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();

        Assert.NotEqual(first.BaseUrl.Port, second.BaseUrl.Port);
    }

    [Fact]
    public async Task StartAsync_MissingManifest_ThrowsNamingThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-fixtures-" + Guid.NewGuid().ToString("N"));

        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => StandInServer.StartAsync(new StandInOptions { FixturesPath = missing }));

        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://127.0.0.1:0")]
    [InlineData("http://example.com:7100")]
    [InlineData("not a url")]
    public async Task StartAsync_UnsupportedUrl_ThrowsArgumentException(string url)
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            StandInServer.StartAsync(new StandInOptions { Url = url, FixturesPath = Fixtures.DirectoryPath }));
    }

    [Fact]
    public async Task StartAsync_RepositoryFixtures_RecognizesEveryManifestClip()
    {
        var directory = RepoPaths.Combine("fixtures", "audio");
        await using var server = await StandInServer.StartAsync(new StandInOptions { FixturesPath = directory });
        using var client = CreateClient(server);
        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(directory, "manifest.json")));
        var clips = manifest.RootElement.GetProperty("clips").EnumerateArray().ToList();

        Assert.NotEmpty(clips);
        foreach (var clip in clips)
        {
            var audio = await File.ReadAllBytesAsync(Path.Combine(directory, clip.GetProperty("file").GetString()!));
            using var response = await client.SendAsync(Transcription(Listen, audio));
            var body = await JsonAsync(response);
            Assert.Equal(clip.GetProperty("transcript").GetString(), body.GetProperty("text").GetString());
            Assert.Equal(Math.Round(clip.GetProperty("duration").GetDouble(), 3), body.GetProperty("duration").GetDouble());
        }
    }

    [Fact]
    public async Task StartAsync_DefaultFixturesPath_UsesTheClipsCopiedToTheOutputFolder()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "fixtures", "audio");
        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(copied, "manifest.json")));
        var clip = manifest.RootElement.GetProperty("clips").EnumerateArray()
            .First(c => c.GetProperty("transcript").GetString()!.Length > 0);
        await using var server = await StandInServer.StartAsync(new StandInOptions());
        using var client = CreateClient(server);

        var audio = await File.ReadAllBytesAsync(Path.Combine(copied, clip.GetProperty("file").GetString()!));
        using var response = await client.SendAsync(Transcription(Pulse, audio));

        Assert.Equal(clip.GetProperty("transcript").GetString(), (await JsonAsync(response)).GetProperty("transcription").GetString());
    }
}
