using System.Diagnostics;
using System.Text.Json;
using Synthetic.Cli;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cli;

/// <summary>The one-shot check command against the stand-in over loopback: exit codes, table, JSON schema, --wait.</summary>
public sealed class CheckCommandTests : IAsyncLifetime
{
    private StandInServer _standIn = null!;

    public async Task InitializeAsync() =>
        _standIn = await StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio") });

    public async Task DisposeAsync() => await _standIn.DisposeAsync();

    private string Target => _standIn.BaseUrl.ToString();

    [Fact]
    public async Task Check_HealthyServer_ExitsZeroWithTable()
    {
        var (exit, stdout, _) = await RunAsync("--target", Target);

        Assert.Equal(0, exit);
        Assert.Contains("PASSED", stdout, StringComparison.Ordinal);
        Assert.Contains("transcription/quick-brown-fox", stdout, StringComparison.Ordinal);
        Assert.Contains("health_detailed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Json_FollowsDocumentedSchema()
    {
        var (exit, stdout, _) = await RunAsync("--target", Target, "--json", "--sample", "quick-brown-fox", "--sample", "long-passage");

        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(stdout);
        var root = document.RootElement;
        Assert.Equal("synthetic.check/v1", root.GetProperty("schema").GetString());
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal(1, root.GetProperty("rounds").GetInt32());
        var target = root.GetProperty("targets")[0];
        Assert.False(target.GetProperty("falsePositiveHealth").GetBoolean());
        var probes = target.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("probe").GetString()).ToList();
        Assert.Equal(["health", "health_detailed", "component_asr", "component_license", "component_redis", "transcription"], probes);
        var canary = target.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("probe").GetString() == "transcription");
        var samples = canary.GetProperty("samples").EnumerateArray().ToList();
        Assert.Equal(["quick-brown-fox", "long-passage"], samples.Select(s => s.GetProperty("sample").GetString()));
        Assert.All(samples, s =>
        {
            Assert.Equal("success", s.GetProperty("outcome").GetString());
            Assert.Equal(0, s.GetProperty("wordErrorRate").GetDouble());
            Assert.True(s.GetProperty("latencyMs").GetDouble() > 0);
        });
        foreach (var check in target.GetProperty("checks").EnumerateArray())
        {
            foreach (var field in new[] { "outcome", "passed", "reason", "latencyMs", "attempts", "statusCode", "detail", "samples" })
            {
                Assert.True(check.TryGetProperty(field, out _), $"check lacks '{field}'");
            }

            // check's own fields lead, then /status's projection of the result in its order.
            Assert.Equal(["probe", "passed", "latencyMs", "outcome", "reason", "detail"], check.EnumerateObject().Take(6).Select(p => p.Name));
        }
    }

    [Fact]
    public async Task Check_FalsePositiveServer_ExitsOneNamingReason()
    {
        _standIn.SetMode(new StandInMode("false-positive"));

        var (exit, stdout, _) = await RunAsync("--target", Target);

        Assert.Equal(1, exit);
        Assert.Contains("FALSE-POSITIVE HEALTH", stdout, StringComparison.Ordinal);
        Assert.Contains("http_5xx", stdout, StringComparison.Ordinal);
        Assert.Matches(@"\bhealth\s+success", stdout);
    }

    [Fact]
    public async Task Check_FalsePositiveServer_JsonFlagsIt()
    {
        _standIn.SetMode(new StandInMode("false-positive"));

        var (exit, stdout, _) = await RunAsync("--target", Target, "--json");

        Assert.Equal(1, exit);
        using var document = JsonDocument.Parse(stdout);
        Assert.False(document.RootElement.GetProperty("passed").GetBoolean());
        Assert.True(document.RootElement.GetProperty("targets")[0].GetProperty("falsePositiveHealth").GetBoolean());
    }

    [Fact]
    public async Task Check_WrongTranscript_TableShowsWerAndWordDiffJsonHasVerdict()
    {
        _standIn.SetMode(new StandInMode("wrong-transcript"));

        var (exit, stdout, _) = await RunAsync("--target", Target);
        var (_, json, _) = await RunAsync("--target", Target, "--json");

        Assert.Equal(1, exit);
        Assert.Matches(@"transcription/quick-brown-fox\s+failure\s+wer_exceeded\s+\d+ ms\s+\d\.\d\d", stdout);
        Assert.Matches(@"transcription/quick-brown-fox heard: .*\[\w+→\w+\]", stdout);
        Assert.Contains("FALSE-POSITIVE HEALTH", stdout, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var target = document.RootElement.GetProperty("targets")[0];
        Assert.Contains("transcription fails (wer_exceeded)", target.GetProperty("verdict").GetString(), StringComparison.Ordinal);
        var canary = target.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("probe").GetString() == "transcription");
        Assert.Equal(canary.GetProperty("latencyMs").GetDouble(), canary.GetProperty("durationMs").GetDouble());
        Assert.False(string.IsNullOrEmpty(canary.GetProperty("samples")[0].GetProperty("diff").GetString()));
    }

    [Fact]
    public async Task Check_WaitAndServerRecoversMidWait_ExitsZero()
    {
        _standIn.SetMode(new StandInMode("false-positive"));
        var recover = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            _standIn.SetMode(new StandInMode("healthy"));
        });

        var clock = Stopwatch.StartNew();
        var (exit, stdout, stderr) = await RunAsync("--target", Target, "--wait", "30s");
        await recover;

        Assert.Equal(0, exit);
        Assert.Contains("round 1:", stderr, StringComparison.Ordinal);
        Assert.Contains("transcription failure (http_5xx)", stderr, StringComparison.Ordinal);
        Assert.Contains("PASSED", stdout, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "should stop waiting as soon as every check passes");
    }

    [Fact]
    public async Task Check_WaitAndServerStaysBroken_ExitsOneAfterDeadline()
    {
        _standIn.SetMode(new StandInMode("empty-transcript"));

        var (exit, stdout, stderr) = await RunAsync("--target", Target, "--wait", "3s");

        Assert.Equal(1, exit);
        Assert.Contains("empty_transcript", stdout, StringComparison.Ordinal);
        Assert.Contains("round 1:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_DegradedWithStrict_ExitsOne_WithoutStrict_ExitsZero()
    {
        _standIn.SetMode(new StandInMode("slow-transcription", 400));
        string[] degradedAbove200Ms = ["--Synthetic:Targets:0:Canary:DegradedLatency=200ms", "--Synthetic:Targets:0:Health:Enabled=false"];

        var (lenient, _, _) = await RunAsync(["--target", Target, .. degradedAbove200Ms]);
        var (strict, stdout, _) = await RunAsync(["--target", Target, "--strict", .. degradedAbove200Ms]);

        Assert.Equal(0, lenient);
        Assert.Equal(1, strict);
        Assert.Contains("degraded", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_DeadServer_ExitsOneWithConnectionReason()
    {
        var (exit, stdout, _) = await RunAsync("--target", $"http://127.0.0.1:{FreePort.Next()}/");

        Assert.Equal(1, exit);
        Assert.Contains("connection", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--wait", "soon")]
    [InlineData("--target", "not-a-url")]
    [InlineData("--dialect", "grpc")]
    [InlineData("--frobnicate")]
    [InlineData("--license-key-file")]
    public async Task Check_BadArguments_ExitsTwoWithMessage(params string[] args)
    {
        var (exit, _, stderr) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains(args[0].TrimStart('-').Split('=')[0], stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_UnknownSample_ExitsTwoNamingKey()
    {
        var (exit, _, stderr) = await RunAsync("--target", Target, "--sample", "no-such-clip");

        Assert.Equal(2, exit);
        Assert.Contains("Synthetic:Targets:0:Canary:Samples:0", stderr, StringComparison.Ordinal);
        Assert.Contains("no-such-clip", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_LicenseKeyFile_SentToServer()
    {
        await using var keyed = await StandInServer.StartAsync(new StandInOptions { FixturesPath = RepoPaths.Combine("fixtures", "audio"), LicenseKey = "file-key-123456" });
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "file-key-123456\n");
        try
        {
            var (withKey, _, _) = await RunAsync("--target", keyed.BaseUrl.ToString(), "--license-key-file", file);
            var (withoutKey, stdout, _) = await RunAsync("--target", keyed.BaseUrl.ToString());

            Assert.Equal(0, withKey);
            Assert.Equal(1, withoutKey);
            Assert.Contains("auth", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("file-key-123456", stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await SyntheticCommandLine.RunAsync(["check", .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
