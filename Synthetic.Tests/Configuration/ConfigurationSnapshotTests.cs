using Synthetic.Checks.Transcription;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Synthetic.Configuration;

namespace Synthetic.Tests.Configuration;

/// <summary>The one-pass read of the configuration keeps the layering rules of IConfiguration.</summary>
public sealed class ConfigurationSnapshotTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("synthetic-config-").FullName;

    [Fact]
    public void Read_LayeredProviders_LaterProviderWinsWhateverTheKeyCase()
    {
        var file = WriteJson(new { Synthetic = new { Listen = "http://127.0.0.1:1", Targets = new[] { new { Name = "from-file", BaseUrl = "http://a:1" } } } });
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(file)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["SYNTHETIC:TARGETS:0:NAME"] = "from-memory", ["Other:Key"] = "x" })
            .Build();

        var values = ConfigurationSnapshot.Read(configuration, "Synthetic");

        Assert.Equal("from-memory", values["Synthetic:Targets:0:Name"]);
        Assert.Equal("http://a:1", values["Synthetic:Targets:0:BaseUrl"]);
        Assert.Equal("http://127.0.0.1:1", values["Synthetic:Listen"]);
        Assert.DoesNotContain(values.Keys, k => k.StartsWith("Other", StringComparison.Ordinal));
        Assert.Equal(configuration.GetSection("Synthetic").AsEnumerable().Count(kv => kv.Value is not null), values.Count);
    }

    [Fact]
    public void Read_ChainedConfiguration_FallsBackToTheGeneralWalkWithTheSameResult()
    {
        var inner = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Synthetic:Targets:0:Name"] = "a", ["Synthetic:Targets:0:BaseUrl"] = "http://a:1" })
            .Build();
        var chained = new ConfigurationBuilder().AddConfiguration(inner)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Synthetic:Targets:0:Name"] = "b" })
            .Build();

        var values = ConfigurationSnapshot.Read(chained, "Synthetic");

        Assert.Equal("b", values["Synthetic:Targets:0:Name"]);
        Assert.Equal("http://a:1", values["Synthetic:Targets:0:BaseUrl"]);
        Assert.Equal(2, values.Count);
    }

    [Fact]
    public void Load_TwoThousandTargetsFromAFile_BindsEveryTargetWithItsOwnValues()
    {
        var targets = Enumerable.Range(0, 2000).Select(i => new
        {
            Name = $"t{i:D5}",
            BaseUrl = $"http://127.0.0.1:{1000 + i}",
            Health = new { Interval = $"{10 + (i % 20)}s", Timeout = "2s", Components = "" },
            Canary = new { Enabled = false },
        });
        var file = WriteJson(new { Synthetic = new { Targets = targets } });
        var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();

        var result = ConfigurationLoader.Load(configuration, TranscriptionDialects.Catalog);

        Assert.Empty(result.Errors);
        Assert.Equal(2000, result.Plan!.Targets.Count);
        var last = result.Plan!.Targets[1999];
        Assert.Equal("t01999", last.Name);
        Assert.Equal(new Uri("http://127.0.0.1:2999/"), last.BaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(10 + (1999 % 20)), last.Health!.Interval);
        Assert.Empty(last.Health.Components);
        Assert.Null(last.Canary);
    }

    [Fact]
    public void Load_TargetsNumberedPastNine_KeepNumericOrder()
    {
        var values = new Dictionary<string, string?>();
        for (var i = 0; i < 12; i++)
        {
            values[$"Synthetic:Targets:{i}:Name"] = $"t{i}";
            values[$"Synthetic:Targets:{i}:BaseUrl"] = "http://127.0.0.1:1";
            values[$"Synthetic:Targets:{i}:Canary:Enabled"] = "false";
        }

        var result = ConfigurationLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), TranscriptionDialects.Catalog);

        Assert.Empty(result.Errors);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"t{i}"), result.Plan!.Targets.Select(t => t.Name));
    }

    private string WriteJson(object value)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(value));
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
