using Microsoft.Extensions.Configuration;
using Synthetic.Configuration;

namespace Synthetic.Tests.Configuration;

public sealed class BaselineValidatorTests : IDisposable
{
    private const string Key = "Synthetic:Targets:0:Canary";

    private readonly string _folder = Directory.CreateTempSubdirectory("synthetic-baseline-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Attach_ValidFile_BaselineAndDefaultMaxDrift()
    {
        var file = Write("""{ "schema": "synthetic.baseline/v1", "runs": 5, "samples": [ { "sample": "quick-brown-fox", "transcript": "the quick brown fox" } ] }""");
        var errors = new List<string>();

        var plan = BaselineValidator.Attach(Key, CanaryPlan.Default, new CanaryOptions { Baseline = file }, errors);

        Assert.Empty(errors);
        Assert.Equal("the quick brown fox", plan.Baseline!.Samples["quick-brown-fox"].Transcript);
        Assert.Equal(0.2, plan.MaxDrift);
    }

    [Fact]
    public void Attach_NoBaseline_NoDriftDetection()
    {
        var errors = new List<string>();

        var plan = BaselineValidator.Attach(Key, CanaryPlan.Default, new CanaryOptions { MaxDrift = 0.3 }, errors);

        Assert.Empty(errors);
        Assert.Null(plan.Baseline);
        Assert.Equal(0.3, plan.MaxDrift);
    }

    [Theory]
    [InlineData("{ not json", "is not valid JSON")]
    [InlineData("""{ "schema": "synthetic.check/v1", "samples": [] }""", "is not a baseline (schema must be synthetic.baseline/v1")]
    [InlineData("""{ "schema": "synthetic.baseline/v1", "samples": [] }""", "has no samples")]
    [InlineData("""{ "schema": "synthetic.baseline/v1", "samples": [ { "sample": "quick-brown-fox" } ] }""", "sample 'quick-brown-fox' has no transcript")]
    [InlineData("""{ "schema": "synthetic.baseline/v1", "samples": [ { "transcript": "x" } ] }""", "samples[0] has no sample id")]
    public void Attach_InvalidFile_ErrorNamesTheKey(string json, string expected)
    {
        var errors = new List<string>();

        BaselineValidator.Attach(Key, CanaryPlan.Default, new CanaryOptions { Baseline = Write(json) }, errors);

        var error = Assert.Single(errors);
        Assert.StartsWith(Key + ":Baseline: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Attach_UnreadableFile_ErrorNamesTheKeyAndFile()
    {
        var missing = Path.Combine(_folder, "missing.json");
        var errors = new List<string>();

        BaselineValidator.Attach(Key, CanaryPlan.Default, new CanaryOptions { Baseline = missing }, errors);

        var error = Assert.Single(errors);
        Assert.Contains($"{Key}:Baseline: '{missing}' cannot be read", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Attach_SamplesMissingFromTheBaseline_Named()
    {
        var file = Write("""{ "schema": "synthetic.baseline/v1", "samples": [ { "sample": "quick-brown-fox", "transcript": "x" } ] }""");
        var plan = CanaryPlan.Default with { Samples = ["quick-brown-fox", "long-passage", "second-voice"] };
        var errors = new List<string>();

        BaselineValidator.Attach(Key, plan, new CanaryOptions { Baseline = file }, errors);

        var error = Assert.Single(errors);
        Assert.Contains("has no baseline for samples long-passage, second-voice", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(11)]
    [InlineData(double.NaN)]
    public void Attach_MaxDriftOutOfRange_Error(double maxDrift)
    {
        var errors = new List<string>();

        BaselineValidator.Attach(Key, CanaryPlan.Default, new CanaryOptions { MaxDrift = maxDrift }, errors);

        Assert.StartsWith(Key + ":MaxDrift: ", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ThroughTheConfiguration_InvalidBaselineIsAStartUpError()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Synthetic:Targets:0:Name"] = "t",
            ["Synthetic:Targets:0:BaseUrl"] = "http://127.0.0.1:1",
            ["Synthetic:Targets:0:Canary:Baseline"] = Write("[]"),
        }).Build();

        var result = ConfigurationLoader.Load(configuration, new DialectCatalog(new Dictionary<string, string> { ["smallest-listen"] = "/v1/listen" }));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.StartsWith("Synthetic:Targets:0:Canary:Baseline: ", StringComparison.Ordinal));
    }

    private string Write(string json)
    {
        var file = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(file, json);
        return file;
    }
}
