using System.Text.Json;
using System.Text.RegularExpressions;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Observability;

/// <summary>
/// The Grafana dashboard has its $datasource and $target variables and a per-target query in every panel; the
/// provisioning files point at the Compose stack. The queries run against real Prometheus in <see cref="RealStackTests"/>.
/// </summary>
public sealed partial class DashboardTests
{
    [Fact]
    public void Dashboard_ShippedJson_HasDatasourceAndTargetVariables()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("dashboards", "synthetic.json")));
        var variables = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
            .ToDictionary(v => v.GetProperty("name").GetString()!, StringComparer.Ordinal);

        Assert.True(variables.TryGetValue("datasource", out var datasource), "no $datasource variable");
        Assert.Equal("datasource", datasource.GetProperty("type").GetString());
        Assert.Equal("prometheus", datasource.GetProperty("query").GetString());

        Assert.True(variables.TryGetValue("target", out var target), "no $target variable");
        Assert.Equal("query", target.GetProperty("type").GetString());
        Assert.True(target.GetProperty("multi").GetBoolean(), "$target must allow several targets");
        Assert.True(target.GetProperty("includeAll").GetBoolean(), "$target must offer All");
        Assert.Contains("label_values(synthetic_probe_success, target)", target.GetProperty("definition").GetString(), StringComparison.Ordinal);
        Assert.Equal("${datasource}", target.GetProperty("datasource").GetProperty("uid").GetString());
    }

    [Fact]
    public void Dashboard_EveryPanel_HasQueryOnDatasourceFilteredByTarget()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("dashboards", "synthetic.json")));
        var panels = Panels(dashboard.RootElement).Where(p => p.GetProperty("type").GetString() != "row").ToList();
        var problems = new List<string>();

        Assert.True(panels.Count >= 10, $"only {panels.Count} panels");
        var ids = panels.Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            if (!panel.TryGetProperty("datasource", out var ds) || ds.GetProperty("uid").GetString() != "${datasource}")
            {
                problems.Add($"{title}: panel data source is not ${{datasource}}");
            }

            var targets = panel.TryGetProperty("targets", out var t) ? t.EnumerateArray().ToList() : [];
            if (targets.Count == 0)
            {
                problems.Add($"{title}: no queries");
            }

            foreach (var query in targets)
            {
                var expr = query.TryGetProperty("expr", out var e) ? e.GetString() ?? string.Empty : string.Empty;
                if (expr.Trim().Length == 0)
                {
                    problems.Add($"{title} ({query.GetProperty("refId").GetString()}): empty expr");
                }
                else if (PerTargetMetric().IsMatch(expr) && !expr.Contains("target=~\"$target\"", StringComparison.Ordinal))
                {
                    problems.Add($"{title}: per-target query without target=~\"$target\": {expr}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void GrafanaProvisioning_DatasourceAndDashboardProvider_PointAtStack()
    {
        var datasource = File.ReadAllText(RepoPaths.Combine("dashboards", "provisioning", "datasources", "prometheus.yml"));
        var provider = File.ReadAllText(RepoPaths.Combine("dashboards", "provisioning", "dashboards", "synthetic.yml"));

        Assert.Contains("url: http://prometheus:9090", datasource, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+uid:\s*prometheus\s*$", datasource);
        Assert.Contains("type: file", provider, StringComparison.Ordinal);
        Assert.Contains("path: /var/lib/grafana/dashboards", provider, StringComparison.Ordinal);
    }

    private static IEnumerable<JsonElement> Panels(JsonElement root) => RealStackTests.Panels(root);

    /// <summary>Metrics with a target label (everything synthetic_ except the monitor-wide build info and scheduler lag).</summary>
    [GeneratedRegex(@"\b(synthetic_(?!build_info|scheduler_)\w+|target:\w+|target_probe:\w+)")]
    private static partial Regex PerTargetMetric();
}
