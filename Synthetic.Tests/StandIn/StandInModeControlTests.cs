using System.Net;
using System.Text;
using System.Text.Json;
using Synthetic.StandIn;

namespace Synthetic.Tests.StandIn;

/// <summary>Switching the stand-in's mode at run time through POST /_standin/mode.</summary>
public sealed class StandInModeControlTests(StandInTestFixtures fixtures) : StandInTestBase(fixtures), IClassFixture<StandInTestFixtures>
{
    [Fact]
    public async Task ModeEndpoint_Post_SwitchesModeAndEchoesIt()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var post = await client.PostAsync(new Uri("/_standin/mode", UriKind.Relative),
            new StringContent("""{"mode":"false-positive","delayMs":0,"retryAfterSeconds":0}""", Encoding.UTF8, "application/json"));
        var echoed = await JsonAsync(post);
        var read = await GetJsonAsync(client, "/_standin/mode", HttpStatusCode.OK);
        using var transcription = await client.SendAsync(Transcription(Listen, Fixtures.Hello));

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal("false-positive", echoed.GetProperty("mode").GetString());
        Assert.Equal(0, echoed.GetProperty("delayMs").GetInt32());
        Assert.Equal(0, echoed.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal("false-positive", read.GetProperty("mode").GetString());
        Assert.Equal("false-positive", server.Mode.Name);
        Assert.Equal(HttpStatusCode.InternalServerError, transcription.StatusCode);
    }

    [Fact]
    public async Task ModeEndpoint_SlowWithoutDelay_EchoesTheDefaultDelay()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);

        using var post = await client.PostAsync(new Uri("/_standin/mode", UriKind.Relative),
            new StringContent("""{"mode":"slow"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(2000, (await JsonAsync(post)).GetProperty("delayMs").GetInt32());
        Assert.Equal(new StandInMode("slow", 2000, 0), server.Mode);
    }

    [Theory]
    [InlineData("""{"mode":"no-such-mode"}""", "mode")]
    [InlineData("""{}""", "mode")]
    [InlineData("""{"mode":42}""", "mode")]
    [InlineData("""{"mode":"slow","delayMs":-1}""", "delayMs")]
    [InlineData("""{"mode":"slow","delayMs":"soon"}""", "delayMs")]
    [InlineData("""{"mode":"rate-limited","retryAfterSeconds":-5}""", "retryAfterSeconds")]
    [InlineData("""{"mode":"healthy","delay_ms":10}""", "delay_ms")]
    [InlineData("""not json""", "body")]
    public async Task ModeEndpoint_BadRequest_Returns400NamingTheFieldAndKeepsTheMode(string json, string field)
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("empty-transcript"));

        using var response = await client.PostAsync(new Uri("/_standin/mode", UriKind.Relative),
            new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.StartsWith(field + ":", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("empty-transcript", server.Mode.Name);
    }

    [Fact]
    public async Task SetMode_UnknownName_ThrowsArgumentException()
    {
        await using var server = await StartAsync();

        var ex = Assert.Throws<ArgumentException>(() => server.SetMode(new StandInMode("sideways")));

        Assert.Contains("sideways", ex.Message, StringComparison.Ordinal);
        Assert.Equal("healthy", server.Mode.Name);
    }

    [Fact]
    public async Task SetMode_MixedCaseName_StoresCanonicalName()
    {
        await using var server = await StartAsync();

        server.SetMode(new StandInMode("Rate-Limited"));

        Assert.Equal(new StandInMode("rate-limited", 0, 5), server.Mode);
    }
}
