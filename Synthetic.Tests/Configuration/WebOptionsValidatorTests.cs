using Microsoft.Extensions.Configuration;
using Synthetic.Configuration;
using Synthetic.Hosting;

namespace Synthetic.Tests.Configuration;

/// <summary>Synthetic:Web: a bad token setting stops the monitor with exit code 2 naming the key, never the token.</summary>
public sealed class WebOptionsValidatorTests : IDisposable
{
    private const string W = "--Synthetic:Web:";
    private const string Secret = "correct-horse-battery-staple-42";
    private readonly string _dir = Directory.CreateTempSubdirectory("synthetic-web-").FullName;

    public static TheoryData<string[], string> InvalidWebConfigurations => new()
    {
        { [W + "BearerToken=short"], "Synthetic:Web:BearerToken: the token is shorter than 16" },
        { [W + "BearerToken=has a space in the middle!"], "Synthetic:Web:BearerToken: the token must be printable ASCII" },
        { [W + "BearerTokenFile=/nonexistent/token"], "Synthetic:Web:BearerTokenFile: cannot read '/nonexistent/token' (no such file)" },
        { [W + "BearerToken=" + Secret, W + "BearerTokenFile=/etc/hostname"], "Synthetic:Web:BearerTokenFile: set either" },
        { [W + "ProtectMetrics=true"], "Synthetic:Web:ProtectMetrics: true needs BearerToken" },
        { [W + "ProtectMetrics=sometimes", W + "BearerToken=" + Secret], "Synthetic:Web:ProtectMetrics: 'sometimes'" },
        { [W + "Token=" + Secret], "Synthetic:Web:Token: unknown key" },
    };

    [Theory]
    [MemberData(nameof(InvalidWebConfigurations))]
    public async Task Run_InvalidWebSection_ExitsTwoNamingKey(string[] args, string expected)
    {
        var stderr = new StringWriter();
        var exit = await SyntheticApp.RunAsync(["run", "--Synthetic:Listen=http://127.0.0.1:0", "--Synthetic:Targets:0:BaseUrl=http://127.0.0.1:1", .. args],
            new StringWriter(), stderr);

        Assert.Equal(SyntheticApp.ExitBadConfiguration, exit);
        Assert.Contains(expected, stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TokenFile_ReadsAndTrimsIt()
    {
        var file = Path.Combine(_dir, "token");
        File.WriteAllText(file, Secret + "\n");
        var options = Load(("BearerTokenFile", file), ("ProtectMetrics", "true"));

        Assert.Equal(Secret, options.ResolvedToken);
        Assert.True(options.ProtectMetrics);
    }

    [Fact]
    public void Load_EmptyTokenFile_IsAnError()
    {
        var file = Path.Combine(_dir, "empty");
        File.WriteAllText(file, "  \n");
        var errors = new List<string>();
        var options = WebOptionsValidator.Load(Section(("BearerTokenFile", file)), errors);

        Assert.Null(options.ResolvedToken);
        Assert.Equal($"Synthetic:Web:BearerTokenFile: file '{file}' is empty.", Assert.Single(errors));
    }

    [Fact]
    public void Load_NothingSet_LeavesThePagesOpen()
    {
        var options = Load();
        Assert.Null(options.ResolvedToken);
        Assert.False(options.ProtectMetrics);
    }

    private static WebOptions Load(params (string Key, string Value)[] values)
    {
        var errors = new List<string>();
        var options = WebOptionsValidator.Load(Section(values), errors);
        Assert.Empty(errors);
        return options;
    }

    private static IConfigurationSection Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Synthetic:Web:" + v.Key, v.Value)))
            .Build()
            .GetSection("Synthetic:Web");

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
