using Synthetic.Hosting;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Cluster;

public sealed class ClusterConfigurationTests
{
    private static IReadOnlyList<string> Errors(params (string Key, string Value)[] cluster)
    {
        var config = TestMonitor.FastConfig(new Uri("http://127.0.0.1:9"));
        foreach (var (key, value) in cluster)
        {
            config["Synthetic:Cluster:" + key] = value;
        }

        var (app, errors) = SyntheticApp.CreateMonitor([], config);
        Assert.Null(app);
        return errors;
    }

    [Fact]
    public void ConnectionString_Unparseable_ErrorNamesTheKeyNotThePassword()
    {
        var errors = Errors(("ConnectionString", "Host=db;Password=hunter2-secret;NoSuchKeyword=1"));
        var error = Assert.Single(errors);
        Assert.StartsWith("Synthetic:Cluster:ConnectionString:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionStringAndFile_Both_ErrorNamesTheFileKey()
    {
        var error = Assert.Single(Errors(("ConnectionString", "Host=db"), ("ConnectionStringFile", "/tmp/x")));
        Assert.StartsWith("Synthetic:Cluster:ConnectionStringFile: set either", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionStringFile_Missing_ErrorNamesTheKey()
    {
        var error = Assert.Single(Errors(("ConnectionStringFile", "/nonexistent/cluster-connection")));
        Assert.Contains("Synthetic:Cluster:ConnectionStringFile: cannot read '/nonexistent/cluster-connection' (no such file)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckinInterval_OutOfRange_ErrorNamesTheKey()
    {
        var error = Assert.Single(Errors(("ConnectionString", "Host=db"), ("CheckinInterval", "100ms")));
        Assert.StartsWith("Synthetic:Cluster:CheckinInterval:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKey_InClusterSection_ErrorNamesIt()
    {
        var error = Assert.Single(Errors(("ConnectionString", "Host=db"), ("Checkin", "5s")));
        Assert.StartsWith("Synthetic:Cluster:Checkin: unknown key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCommand_BadClusterConfiguration_ExitsTwo()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Synthetic.Cli.SyntheticCommandLine.RunAsync(["--Synthetic:Targets:0:Name=a", "--Synthetic:Targets:0:BaseUrl=http://127.0.0.1:9",
            "--Synthetic:Cluster:ConnectionString=Password=hunter2-secret"], stdout, stderr);
        Assert.Equal(2, code);
        Assert.Contains("Synthetic:Cluster:ConnectionString: the connection string has no Host", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", stderr.ToString() + stdout, StringComparison.Ordinal);
    }
}
