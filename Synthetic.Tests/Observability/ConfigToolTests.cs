using Synthetic.Tests.Support;

namespace Synthetic.Tests.Observability;

/// <summary>
/// The shipped Prometheus, Alertmanager and Compose files, checked by the real tools (promtool, amtool,
/// docker-compose). Contract checks that need no tool are in <see cref="AlertRuleTests"/>, <see cref="AlertRoutingTests"/>,
/// <see cref="DashboardTests"/> and <see cref="DockerfileTests"/>; the whole stack runs in <see cref="RealStackTests"/>.
/// </summary>
public sealed class ConfigToolTests
{
    [Fact]
    public async Task PromtoolCheckRules_ShippedRules_Succeeds()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");

        var result = await ExternalTool.RunAsync(promtool, ["check", "rules", RepoPaths.Combine("prometheus", "rules.yml")]);

        Assert.True(result.ExitCode == 0, "promtool check rules failed:\n" + result.Combined);
        Assert.Contains("SUCCESS", result.Combined, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolTestRules_ShippedUnitTests_AllPass()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");

        var result = await ExternalTool.RunAsync(promtool, ["test", "rules", RepoPaths.Combine("prometheus", "rules.test.yml")]);

        Assert.True(result.ExitCode == 0, "promtool test rules failed:\n" + result.Combined);
        Assert.DoesNotContain("FAILED", result.Combined, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolCheckConfig_ShippedPrometheusConfig_SucceedsWithItsRuleFile()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");

        // check config also loads the rule files it references (relative to the config file).
        var result = await ExternalTool.RunAsync(promtool, ["check", "config", RepoPaths.Combine("prometheus", "prometheus.yml")]);

        Assert.True(result.ExitCode == 0, "promtool check config failed:\n" + result.Combined);
        Assert.Contains("1 rule files found", result.Combined, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AmtoolCheckConfig_ShippedAlertmanagerConfig_Succeeds()
    {
        var amtool = ExternalTool.Require("amtool", "prometheus-alertmanager");

        var result = await ExternalTool.RunAsync(amtool, ["check-config", RepoPaths.Combine("prometheus", "alertmanager.yml")]);

        Assert.True(result.ExitCode == 0, "amtool check-config failed:\n" + result.Combined);
        Assert.Contains("SUCCESS", result.Combined, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DockerComposeConfig_ShippedComposeFile_IsValid()
    {
        var compose = ExternalTool.Require("docker-compose", "docker-compose");
        var keyFile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(keyFile, "test-key");
            var environment = ComposeEnvironment(keyFile);

            var result = await ExternalTool.RunAsync(compose, ["-f", RepoPaths.Combine("docker-compose.yml"), "config"], environment: environment);

            Assert.True(result.ExitCode == 0, "docker-compose config failed:\n" + result.Combined);
            foreach (var service in new[] { "synthetic:", "prometheus:", "alertmanager:", "grafana:" })
            {
                Assert.Contains(service, result.StandardOutput, StringComparison.Ordinal);
            }

            Assert.Contains("Synthetic__Targets__0__LicenseKeyFile: /run/secrets/license_key", result.StandardOutput, StringComparison.Ordinal);
            Assert.Contains(keyFile, result.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("--web.enable-lifecycle", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task DockerComposeConfig_HaProfile_AddsPostgresAndTwoClusteredMonitors()
    {
        var compose = ExternalTool.Require("docker-compose", "docker-compose");
        var environment = ComposeEnvironment("/nonexistent/license_key");

        var result = await ExternalTool.RunAsync(compose, ["-f", RepoPaths.Combine("docker-compose.yml"), "--profile", "ha", "config"], environment: environment);

        Assert.True(result.ExitCode == 0, "docker-compose --profile ha config failed:\n" + result.Combined);
        foreach (var service in new[] { "postgres:", "synthetic-ha-a:", "synthetic-ha-b:" })
        {
            Assert.Contains(service, result.StandardOutput, StringComparison.Ordinal);
        }

        // The connection string comes from a secret file, for both nodes; never from the environment.
        Assert.Equal(2, result.StandardOutput.Split("Synthetic__Cluster__ConnectionStringFile: /run/secrets/cluster_connection").Length - 1);
        Assert.DoesNotContain("Synthetic__Cluster__ConnectionString:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("POSTGRES_PASSWORD_FILE: /run/secrets/cluster_db_password", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DockerComposeConfig_DemoProfile_AddsStandIn()
    {
        var compose = ExternalTool.Require("docker-compose", "docker-compose");
        var environment = ComposeEnvironment("/nonexistent/license_key");

        var profiles = await ExternalTool.RunAsync(compose, ["-f", RepoPaths.Combine("docker-compose.yml"), "config", "--profiles"], environment: environment);
        var services = await ExternalTool.RunAsync(compose, ["-f", RepoPaths.Combine("docker-compose.yml"), "--profile", "demo", "config", "--services"],
            environment: environment);

        Assert.True(profiles.ExitCode == 0, "docker-compose config --profiles failed:\n" + profiles.Combined);
        Assert.Equal(new[] { "demo", "ha" }, Lines(profiles.StandardOutput).Order(StringComparer.Ordinal));
        Assert.True(services.ExitCode == 0, "docker-compose --profile demo config --services failed:\n" + services.Combined);
        Assert.Contains("standin", Lines(services.StandardOutput));
    }

    private static Dictionary<string, string> ComposeEnvironment(string keyFile) => new(StringComparer.Ordinal)
    {
        ["SYNTHETIC_LICENSE_KEY_FILE"] = keyFile,
        ["SYNTHETIC_TARGET_URL"] = "http://api-server:7100",
        ["GRAFANA_ADMIN_PASSWORD"] = "test",
        ["COMPOSE_PROJECT_NAME"] = "synthetic-test",
    };

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
