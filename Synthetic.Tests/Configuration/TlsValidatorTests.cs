using Synthetic.Cli;

namespace Synthetic.Tests.Configuration;

/// <summary>A target's Tls section: bad settings stop the monitor with exit code 2 naming the key.</summary>
public sealed class TlsValidatorTests : IDisposable
{
    private const string T = "--Synthetic:Targets:0:";
    private readonly string _dir = Directory.CreateTempSubdirectory("synthetic-tls-config-").FullName;

    [Theory]
    [InlineData("http://127.0.0.1:1", "Tls:InsecureSkipVerify=true", "Synthetic:Targets:0:Tls: applies to https:// targets only")]
    [InlineData("https://127.0.0.1:1", "Tls:InsecureSkipVerify=perhaps", "Synthetic:Targets:0:Tls:InsecureSkipVerify: 'perhaps' is not a valid boolean")]
    [InlineData("https://127.0.0.1:1", "Tls:CaFile=/nonexistent/ca.pem", "Synthetic:Targets:0:Tls:CaFile: cannot read '/nonexistent/ca.pem' (no such file)")]
    [InlineData("https://127.0.0.1:1", "Tls:ServerName=not a host", "Synthetic:Targets:0:Tls:ServerName: 'not a host' is not a host name")]
    [InlineData("https://127.0.0.1:1", "Tls:Verify=false", "Synthetic:Targets:0:Tls:Verify: unknown key")]
    public async Task Run_InvalidTlsSection_ExitsTwoNamingKey(string baseUrl, string setting, string expected)
    {
        var (exit, stderr) = await RunAsync(T + "BaseUrl=" + baseUrl, T + setting);

        Assert.Equal(ExitCodes.BadConfiguration, exit);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CaFileWithoutCertificate_ExitsTwoNamingKey()
    {
        var file = Path.Combine(_dir, "not-a-ca.pem");
        await File.WriteAllTextAsync(file, "just text\n");

        var (exit, stderr) = await RunAsync(T + "BaseUrl=https://127.0.0.1:1", T + "Tls:CaFile=" + file);

        Assert.Equal(2, exit);
        Assert.Contains($"Synthetic:Targets:0:Tls:CaFile: '{file}' holds no PEM certificate", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CaFileAndInsecureSkipVerify_ExitsTwoNamingKey()
    {
        var (exit, stderr) = await RunAsync(T + "BaseUrl=https://127.0.0.1:1", T + "Tls:CaFile=/etc/hostname", T + "Tls:InsecureSkipVerify=true");

        Assert.Equal(2, exit);
        Assert.Contains("Synthetic:Targets:0:Tls:InsecureSkipVerify: true makes CaFile pointless", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stderr)> RunAsync(params string[] args)
    {
        var stderr = new StringWriter();
        var exit = await SyntheticCommandLine.RunAsync(["run", "--Synthetic:Listen=http://127.0.0.1:0", .. args], new StringWriter(), stderr);
        return (exit, stderr.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
