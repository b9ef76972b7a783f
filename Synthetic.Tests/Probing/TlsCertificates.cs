using System.Security.Cryptography.X509Certificates;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Probing;

/// <summary>
/// Certificates made with the real <c>openssl</c> once per test class: a CA, and leaves signed by it (valid,
/// expired, not yet valid, for the wrong name), plus a self-signed one. EC P-256 keys: quick to make.
/// </summary>
public sealed class TlsCertificates : IAsyncLifetime
{
    private const string CaConfig = """
        [ ca ]
        default_ca = test_ca
        [ test_ca ]
        dir = .
        database = index.txt
        new_certs_dir = .
        serial = serial
        default_md = sha256
        policy = any
        unique_subject = no
        [ any ]
        commonName = supplied
        [ leaf ]
        basicConstraints = CA:FALSE
        extendedKeyUsage = serverAuth
        subjectAltName = DNS:localhost,IP:127.0.0.1
        [ wrong_name ]
        basicConstraints = CA:FALSE
        extendedKeyUsage = serverAuth
        subjectAltName = DNS:wrong.example
        """;

    public string Folder { get; } = Directory.CreateTempSubdirectory("synthetic-tls-").FullName;

    public string CaFile => Path.Combine(Folder, "ca.crt");

    public string Cert(string name) => Path.Combine(Folder, name + ".crt");

    public string Key(string name) => Path.Combine(Folder, name + ".key");

    /// <summary>notAfter of a certificate as openssl wrote it.</summary>
    public DateTimeOffset NotAfter(string name) => new(X509Certificate2.CreateFromPemFile(Cert(name), Key(name)).NotAfter.ToUniversalTime(), TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(Folder, "ca.cnf"), CaConfig);
        await File.WriteAllTextAsync(Path.Combine(Folder, "index.txt"), string.Empty);
        await File.WriteAllTextAsync(Path.Combine(Folder, "serial"), "1000\n");
        await OpenSslAsync("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
            "-days", "60", "-subj", "/CN=Synthetic Test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        await LeafAsync("valid", "leaf", "-days", "20");
        await LeafAsync("expired", "leaf", "-startdate", "20240101000000Z", "-enddate", "20240201000000Z");
        await LeafAsync("future", "leaf", "-startdate", "20990101000000Z", "-enddate", "20991231000000Z");
        await LeafAsync("wrong-name", "wrong_name", "-days", "20");
        await OpenSslAsync("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "self-signed.key",
            "-out", "self-signed.crt", "-days", "20", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
    }

    private async Task LeafAsync(string name, string extensions, params string[] validity)
    {
        await OpenSslAsync("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
            "-subj", "/CN=" + (name == "wrong-name" ? "wrong.example" : "localhost"));
        await OpenSslAsync(["ca", "-batch", "-notext", "-config", "ca.cnf", "-cert", "ca.crt", "-keyfile", "ca.key", "-in", name + ".csr",
            "-out", name + ".crt", "-extensions", extensions, .. validity]);
    }

    private async Task OpenSslAsync(params string[] arguments)
    {
        var openssl = ExternalTool.Require("openssl", "openssl");
        var result = await ExternalTool.RunAsync(openssl, arguments, workingDirectory: Folder, timeout: TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', arguments)} failed: {result.Combined}");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}
