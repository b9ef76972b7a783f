using Microsoft.Extensions.Configuration;
using Synthetic.Checks.Transcription;
using Synthetic.Configuration;

namespace Synthetic.Tests.Configuration;

/// <summary>A default that conflicts only with a value the user set adapts to it; two values the user set are judged as given.</summary>
public sealed class DefaultsFollowUserTests
{
    private const string T = "Synthetic:Targets:0:";

    private static ConfigurationLoadResult Load(params (string Key, string Value)[] keys)
    {
        var values = new Dictionary<string, string?>
        {
            [T + "Name"] = "t",
            [T + "BaseUrl"] = "http://127.0.0.1:1",
        };
        foreach (var (key, value) in keys)
        {
            values[T + key] = value;
        }

        return ConfigurationLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), TranscriptionDialects.Catalog);
    }

    [Fact]
    public void Load_OnlyMaxLatencyOneSecond_DegradedLatencyFollowsBelowIt()
    {
        var result = Load(("Canary:MaxLatency", "00:00:01"));

        Assert.Empty(result.Errors);
        var canary = result.Plan!.Targets[0].Canary!;
        Assert.Equal(TimeSpan.FromSeconds(1), canary.MaxLatency);
        Assert.Equal(TimeSpan.FromMilliseconds(500), canary.DegradedLatency);
    }

    [Fact]
    public void Load_OnlyDegradedLatencyAboveDefaultMax_MaxLatencyFollows()
    {
        var canary = Load(("Canary:DegradedLatency", "15s")).Plan!.Targets[0].Canary!;

        Assert.Equal(TimeSpan.FromSeconds(15), canary.DegradedLatency);
        Assert.Equal(TimeSpan.FromSeconds(30), canary.MaxLatency);
    }

    [Fact]
    public void Load_OnlyMaxWerBelowDefaultDegraded_DegradedWerFollowsAndUserThresholdsMarked()
    {
        var wer = Load(("Canary:MaxWer", "0.05")).Plan!.Targets[0].Canary!.Wer;

        Assert.Equal(0.05, wer.Max, 6);
        Assert.Equal(0.02, wer.Degraded, 6);
        Assert.True(wer.SetByUser);
    }

    [Fact]
    public void Load_NoWerSet_DefaultsNotMarkedAsUsers()
    {
        var wer = Load().Plan!.Targets[0].Canary!.Wer;

        Assert.Equal(WerThresholds.Default, wer);
    }

    [Fact]
    public void Load_OnlyShortHealthInterval_TimeoutFollowsBelowIt()
    {
        var health = Load(("Health:Interval", "2s")).Plan!.Targets[0].Health!;

        Assert.Equal(TimeSpan.FromSeconds(2), health.Interval);
        Assert.True(health.Timeout < health.Interval, $"timeout {health.Timeout} not below interval {health.Interval}");
        Assert.True(health.Timeout > TimeSpan.Zero);
    }

    [Fact]
    public void Load_OnlyLongCanaryTimeout_IntervalFollowsAboveIt()
    {
        var canary = Load(("Canary:Timeout", "2m")).Plan!.Targets[0].Canary!;

        Assert.Equal(TimeSpan.FromMinutes(2), canary.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(4), canary.Interval);
        Assert.Equal(TimeSpan.FromMinutes(2), canary.AttemptTimeout);
    }

    [Fact]
    public void Load_BothLatenciesSetInConflict_ErrorNamesBothKeys()
    {
        var result = Load(("Canary:MaxLatency", "1s"), ("Canary:DegradedLatency", "2s"));

        var error = Assert.Single(result.Errors);
        Assert.Contains(T + "Canary:DegradedLatency", error, StringComparison.Ordinal);
        Assert.Contains(T + "Canary:MaxLatency", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BothWerSetInConflict_ErrorNamesBothKeys()
    {
        var error = Assert.Single(Load(("Canary:MaxWer", "0.05"), ("Canary:DegradedWer", "0.2")).Errors);

        Assert.Contains(T + "Canary:DegradedWer", error, StringComparison.Ordinal);
        Assert.Contains(T + "Canary:MaxWer", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10.0, null, 10.0, 4.0)]
    [InlineData(0.5, null, 0.5, 0.2)]
    [InlineData(null, 3.0, 10.0, 3.0)]
    [InlineData(null, 20.0, 50.0, 20.0)]
    [InlineData(1.0, 2.0, 1.0, 2.0)]
    [InlineData(null, null, 10.0, 4.0)]
    public void Pair_ResolvesDefaultsAroundUserValues(double? upper, double? lower, double expectedUpper, double expectedLower)
    {
        var (u, l) = Defaults.Pair(upper, lower, 10, 4);

        Assert.Equal(expectedUpper, u, 9);
        Assert.Equal(expectedLower, l, 9);
    }

    [Fact]
    public void Pair_StrictEqualToDefault_Adapts()
    {
        var (interval, timeout) = Defaults.Pair(null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(5), strict: true);

        Assert.True(timeout < interval);
    }
}
