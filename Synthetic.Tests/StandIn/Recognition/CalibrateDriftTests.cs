using System.Text.Json;
using Synthetic.Cli;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.StandIn.Recognition;

/// <summary>
/// <c>synthetic calibrate</c> against the pocketsphinx stand-in, then drift: a healthy run matches the baseline (drift 0),
/// a <c>wrong-sample-rate</c> run does not (drift above Canary:MaxDrift, the detail says so, the metric is set).
/// </summary>
[Collection(RealRecognitionCollection.Name)]
public sealed class CalibrateDriftTests(RealRecognitionStandIn standIn) : IDisposable
{
    private const string Target = "standin";

    // second-voice: 11 words, heard almost exactly when healthy, garbled at half the rate.
    private const string Sample = "second-voice";

    private readonly string _folder = Directory.CreateTempSubdirectory("synthetic-calibrate-").FullName;

    public void Dispose()
    {
        standIn.Server.SetMode(StandInMode.Healthy);
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Calibrate_ThenHealthyCheck_DriftZeroAndPasses()
    {
        var baseline = await CalibrateAsync();

        var (exit, stdout, stderr) = await CliAsync("check", "--target", standIn.Server.BaseUrl.ToString(), "--json", "--sample", Sample,
            $"--Synthetic:Targets:0:Canary:Baseline={baseline}", "--Synthetic:Targets:0:Canary:MaxLatency=20s",
            "--Synthetic:Targets:0:Canary:DegradedLatency=19s");

        Assert.True(exit == 0, $"check exited {exit}: {stderr}{stdout}");
        var sample = Samples(stdout).Single();
        Assert.Equal(0, sample.GetProperty("drift").GetDouble());
        Assert.Equal("success", sample.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Calibrate_ThenWrongSampleRate_DriftAboveThresholdDetailAndMetric()
    {
        var baseline = await CalibrateAsync();
        standIn.Server.SetMode(new StandInMode(ModeNames.WrongSampleRate));
        var config = TestMonitor.FastConfig(standIn.Server.BaseUrl, Target, canary: true);
        config["Synthetic:Targets:0:Canary:Interval"] = "30s";
        config["Synthetic:Targets:0:Canary:Timeout"] = "29s";
        config["Synthetic:Targets:0:Canary:MaxLatency"] = "28s";
        config["Synthetic:Targets:0:Canary:DegradedLatency"] = "27s";
        config["Synthetic:Targets:0:Canary:Samples:0"] = Sample;
        config["Synthetic:Targets:0:Canary:Baseline"] = baseline;
        await using var monitor = await TestMonitor.StartAsync(config);

        var result = await monitor.WaitForResultAsync(Target, "transcription", _ => true, TimeSpan.FromSeconds(90), "a first canary run");

        var sample = result.GetProperty("samples")[0];
        var drift = sample.GetProperty("drift").GetDouble();
        Assert.True(drift > 0.2, $"drift {drift}: {sample}");
        Assert.NotEqual("success", result.GetProperty("outcome").GetString());
        Assert.Contains($"transcript drifted {drift:F2} from the baseline", sample.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var metric = await monitor.MetricAsync("synthetic_canary_baseline_drift", ("target", Target), ("sample", Sample));
        Assert.Equal(drift, metric!.Value, 3);
    }

    private async Task<string> CalibrateAsync()
    {
        var file = Path.Combine(_folder, "baseline.json");
        var (exit, stdout, stderr) = await CliAsync("calibrate", "--target", standIn.Server.BaseUrl.ToString(), "--runs", "2", "--sample", Sample,
            "--out", file, "--Synthetic:Targets:0:Canary:Timeout=20s");

        Assert.True(exit == 0, $"calibrate exited {exit}: {stderr}{stdout}");
        Assert.Contains(Sample, stdout, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        var entry = document.RootElement.GetProperty("samples")[0];
        Assert.Equal("synthetic.baseline/v1", document.RootElement.GetProperty("schema").GetString());
        Assert.Equal(Sample, entry.GetProperty("sample").GetString());
        Assert.False(string.IsNullOrWhiteSpace(entry.GetProperty("transcript").GetString()));
        Assert.True(entry.GetProperty("suggested").GetProperty("maxWer").GetDouble() > entry.GetProperty("suggested").GetProperty("degradedWer").GetDouble());
        return file;
    }

    private static List<JsonElement> Samples(string checkJson) =>
        JsonDocument.Parse(checkJson).RootElement.GetProperty("targets")[0].GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("probe").GetString() == "transcription").GetProperty("samples").EnumerateArray().ToList();

    private static async Task<(int Exit, string Stdout, string Stderr)> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await SyntheticCommandLine.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
