using Synthetic.Tests.Support;

namespace Synthetic.Tests.Observability;

/// <summary>
/// deploy/kubernetes/base rendered by the real kustomize (kubectl kustomize), its PrometheusRule kept in sync with
/// prometheus/rules.yml and checked by promtool, its dashboard ConfigMap in sync with dashboards/synthetic.json.
/// Not schema-validated against a cluster's API (no kubeconform in Debian; kubectl's dry run needs a server).
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Base = RepoPaths.Combine("deploy", "kubernetes", "base");

    [Fact]
    public async Task Kustomize_Base_RendersTwoReplicasProbesSecretsAndOperatorObjects()
    {
        var kubectl = ExternalTool.Require("kubectl", "kubernetes-client");

        var result = await ExternalTool.RunAsync(kubectl, ["kustomize", Base]);

        Assert.True(result.ExitCode == 0, "kubectl kustomize failed:\n" + result.Combined);
        var output = result.StandardOutput;
        foreach (var kind in new[] { "Deployment", "PodDisruptionBudget", "Service", "ServiceMonitor", "PrometheusRule", "ConfigMap" })
        {
            Assert.Contains("kind: " + kind + "\n", output, StringComparison.Ordinal);
        }

        Assert.Contains("replicas: 2", output, StringComparison.Ordinal);
        Assert.Contains("minAvailable: 1", output, StringComparison.Ordinal);
        Assert.Equal(2, output.Split("path: /healthz").Length - 1);
        Assert.Contains("secretName: synthetic-license", output, StringComparison.Ordinal);
        Assert.Contains("secretName: synthetic-cluster", output, StringComparison.Ordinal);
        Assert.Contains("value: /run/secrets/synthetic-cluster/connection_string", output, StringComparison.Ordinal);
        Assert.Contains("grafana_dashboard: \"1\"", output, StringComparison.Ordinal);
        Assert.Contains("image: synthetic:0.1.0", output, StringComparison.Ordinal);
        // No secret value in the manifests: only references.
        Assert.DoesNotContain("Password=", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void PrometheusRule_Spec_IsRulesYml()
    {
        var expected = string.Join('\n', File.ReadAllLines(RepoPaths.Combine("prometheus", "rules.yml"))
            .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))
            .Select(l => "  " + l));
        var actual = File.ReadAllText(Path.Combine(Base, "prometheusrule.yaml"));
        var spec = actual[(actual.IndexOf("\nspec:\n", StringComparison.Ordinal) + "\nspec:\n".Length)..].TrimEnd('\n');

        Assert.True(expected == spec, "deploy/kubernetes/base/prometheusrule.yaml is out of date: run deploy/kubernetes/generate.sh");
    }

    [Fact]
    public void DashboardConfigMap_Source_IsTheShippedDashboard()
    {
        Assert.True(File.ReadAllText(RepoPaths.Combine("dashboards", "synthetic.json")) == File.ReadAllText(Path.Combine(Base, "synthetic.json")),
            "deploy/kubernetes/base/synthetic.json is out of date: run deploy/kubernetes/generate.sh");
    }

    [Fact]
    public async Task PrometheusRule_Rules_PassPromtool()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var text = File.ReadAllText(Path.Combine(Base, "prometheusrule.yaml"));
        var spec = text[(text.IndexOf("\nspec:\n", StringComparison.Ordinal) + "\nspec:\n".Length)..];
        var file = Path.Combine(Path.GetTempPath(), "synthetic-prometheusrule-" + Guid.NewGuid().ToString("N")[..8] + ".yml");
        try
        {
            File.WriteAllLines(file, spec.Split('\n').Select(l => l.StartsWith("  ", StringComparison.Ordinal) ? l[2..] : l));
            var result = await ExternalTool.RunAsync(promtool, ["check", "rules", file]);
            Assert.True(result.ExitCode == 0, "promtool check rules (PrometheusRule spec) failed:\n" + result.Combined);
            Assert.Contains("SUCCESS", result.Combined, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
