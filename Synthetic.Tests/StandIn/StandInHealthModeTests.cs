using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Synthetic.StandIn;

namespace Synthetic.Tests.StandIn;

/// <summary>Health-side fault modes of the stand-in.</summary>
public sealed class StandInHealthModeTests(StandInTestFixtures fixtures) : StandInTestBase(fixtures), IClassFixture<StandInTestFixtures>
{
    [Fact]
    public async Task Mode_Unhealthy_EveryHealthShape503AndTranscription503()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("unhealthy"));

        foreach (var path in HealthPaths)
        {
            var body = await GetJsonAsync(client, path, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("unhealthy", body.GetProperty("status").GetString());
            Assert.Equal("No ASR workers available", body.GetProperty("reason").GetString());
        }

        var detailed = await GetJsonAsync(client, "/health?detailed=true", HttpStatusCode.ServiceUnavailable);
        Assert.Equal("unhealthy", detailed.GetProperty("components").GetProperty("lightning_asr").GetString());
        using var transcription = await client.SendAsync(Transcription(Listen, Fixtures.Hello));
        var error = await JsonAsync(transcription);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, transcription.StatusCode);
        Assert.Equal("SERVICE_UNAVAILABLE", error.GetProperty("code").GetString());
        Assert.Equal(5, error.GetProperty("retry_after").GetInt32());
    }

    [Fact]
    public async Task Mode_UnhealthyBody_EveryHealthShapeAnswers200WithUnhealthyStatus()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("unhealthy-body"));

        foreach (var path in HealthPaths)
        {
            var body = await GetJsonAsync(client, path, HttpStatusCode.OK);
            Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Mode_ComponentDown_DetailedDegradedPlainHealthyTranscription403()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("component-down"));

        var detailed = await GetJsonAsync(client, "/health?detailed=true", HttpStatusCode.ServiceUnavailable);
        var license = await GetJsonAsync(client, "/health/license", HttpStatusCode.ServiceUnavailable);
        var plain = await GetJsonAsync(client, "/health", HttpStatusCode.OK);
        var asr = await GetJsonAsync(client, "/health/asr", HttpStatusCode.OK);
        using var transcription = await client.SendAsync(Transcription(Listen, Fixtures.Hello));
        var error = await JsonAsync(transcription);

        Assert.Equal("degraded", detailed.GetProperty("status").GetString());
        Assert.Equal("unhealthy", detailed.GetProperty("components").GetProperty("license_proxy").GetString());
        Assert.Equal("healthy", detailed.GetProperty("components").GetProperty("lightning_asr").GetString());
        Assert.Equal("unhealthy", license.GetProperty("status").GetString());
        Assert.Equal("healthy", plain.GetProperty("status").GetString());
        Assert.Equal("healthy", asr.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, transcription.StatusCode);
        Assert.Equal("LICENSE_EXPIRED", error.GetProperty("code").GetString());
        Assert.True(error.TryGetProperty("expires_at", out _));
    }

    [Fact]
    public async Task Mode_Slow_EveryEndpointWaitsTheDelay()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("slow", DelayMs: 300));

        var health = Stopwatch.StartNew();
        using var healthResponse = await client.GetAsync(new Uri("/health", UriKind.Relative));
        health.Stop();
        var transcription = Stopwatch.StartNew();
        using var transcriptionResponse = await client.SendAsync(Transcription(Pulse, Fixtures.Hello));
        transcription.Stop();

        Assert.Equal(HttpStatusCode.OK, healthResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, transcriptionResponse.StatusCode);
        Assert.True(health.ElapsedMilliseconds >= 280, $"health took {health.ElapsedMilliseconds} ms");
        Assert.True(transcription.ElapsedMilliseconds >= 280, $"transcription took {transcription.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Mode_Hang_NeverAnswersUntilTheClientGivesUp()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("hang"));
        using var impatient = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromMilliseconds(500) };

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => impatient.GetAsync(new Uri("/health", UriKind.Relative)));
        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => impatient.SendAsync(Transcription(Listen, Fixtures.Hello)));
        using var modeStillAnswers = await client.GetAsync(new Uri("/_standin/mode", UriKind.Relative));
        server.SetMode(StandInMode.Healthy);
        using var recovered = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, modeStillAnswers.StatusCode);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task DisposeAsync_WhileRequestsHang_StopsPromptly()
    {
        var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("hang"));
        var hanging = client.GetAsync(new Uri("/health", UriKind.Relative));
        await WaitUntilAsync(() => server.Stats.TotalRequests >= 1);

        var stopwatch = Stopwatch.StartNew();
        await server.DisposeAsync();
        stopwatch.Stop();

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => hanging);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"dispose took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Mode_Garbage_HealthAnswers200WithNonJsonBody()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("garbage"));

        foreach (var path in HealthPaths)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("<html>", text, StringComparison.Ordinal);
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
        }
    }

    [Fact]
    public async Task Mode_Oversized_StreamsEndlessBodyUntilTheClientDisconnects()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("oversized"));
        const int wanted = 4 * 1024 * 1024;

        using (var response = await client.GetAsync(new Uri("/health", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(response.Content.Headers.ContentLength);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            var prefix = new MemoryStream();
            long total = 0;
            while (total < wanted)
            {
                var read = await stream.ReadAsync(buffer);
                Assert.True(read > 0, $"the body ended after {total} bytes");
                if (prefix.Length < 64)
                {
                    prefix.Write(buffer, 0, read);
                }

                total += read;
            }

            Assert.StartsWith("{\"status\":\"healthy\"", Encoding.UTF8.GetString(prefix.ToArray()), StringComparison.Ordinal);
        }

        server.SetMode(StandInMode.Healthy);
        using var fresh = new HttpClient { BaseAddress = server.BaseUrl };
        using var after = await fresh.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Mode_Reset_AbortsTheConnectionWithoutAnswer()
    {
        await using var server = await StartAsync();
        using var client = CreateClient(server);
        server.SetMode(new StandInMode("reset"));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("/health", UriKind.Relative)));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(Transcription(Pulse, Fixtures.Hello)));
    }
}
