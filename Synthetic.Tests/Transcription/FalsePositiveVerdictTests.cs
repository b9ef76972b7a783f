using System.Diagnostics;
using Synthetic.StandIn;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Transcription;

/// <summary>The verdict's promised reaction time, measured alone so other tests' load cannot blur it.</summary>
[Collection(SerialCollection.Name)]
public sealed class FalsePositiveVerdictTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task FalsePositiveMode_VerdictRaisedWithinTwoCanaryIntervals_AndClearedOnRecovery()
    {
        await using var standIn = await CanaryEndToEndTests.StartStandInAsync();
        var config = CanaryEndToEndTests.CanaryConfig(standIn);
        config["Synthetic:Targets:0:Health:Interval"] = "1s";
        config["Synthetic:Targets:0:Health:Timeout"] = "500ms";
        await using var monitor = await TestMonitor.StartAsync(config);
        await monitor.WaitForResultAsync("standin", "transcription", r => r.GetProperty("outcome").GetString() == "success", Wait, "healthy baseline");
        Assert.Equal(0, await monitor.MetricAsync("synthetic_health_false_positive", ("target", "standin")));

        var clock = Stopwatch.StartNew();
        standIn.SetMode(new StandInMode("false-positive"));
        await monitor.WaitForMetricsAsync(t => MetricsText.Has(t, "synthetic_health_false_positive", 1, ("target", "standin")),
            TimeSpan.FromSeconds(2 * 3), "false positive within two canary intervals (2 × 3 s)");
        var detected = clock.Elapsed;
        var status = await monitor.StatusAsync();
        var verdict = status.GetProperty("targets")[0].GetProperty("verdict");
        Assert.True(verdict.GetProperty("falsePositiveHealth").GetBoolean());

        clock.Restart();
        standIn.SetMode(new StandInMode("healthy"));
        await monitor.WaitForMetricsAsync(t => MetricsText.Has(t, "synthetic_health_false_positive", 0, ("target", "standin")),
            TimeSpan.FromSeconds(2 * 3), "verdict cleared within two canary intervals");
        Console.WriteLine($"false positive detected after {detected.TotalSeconds:F1} s, cleared after {clock.Elapsed.TotalSeconds:F1} s");
    }
}
