using Microsoft.Extensions.DependencyInjection;
using Synthetic.Checks;
using Synthetic.Hosting;

namespace Synthetic.Tests.Hosting;

/// <summary>The container owns the checks: stopping the monitor disposes their HTTP clients (a kept-alive handler and its sockets); a disposed check no longer probes.</summary>
public sealed class CheckDisposalTests
{
    [Fact]
    public async Task DisposeMonitor_ChecksHandlersAreDisposed()
    {
        var config = new Dictionary<string, string?>
        {
            ["Synthetic:Listen"] = "http://127.0.0.1:0",
            ["Synthetic:Targets:0:Name"] = "t",
            ["Synthetic:Targets:0:BaseUrl"] = "http://127.0.0.1:1",
            ["Synthetic:Targets:0:Canary:Enabled"] = "false",
        };
        var (app, errors) = SyntheticApp.CreateMonitor([], config);
        Assert.Empty(errors);
        var checks = app!.Services.GetRequiredService<CheckSet>().All;
        Assert.NotEmpty(checks);

        await app.DisposeAsync();

        var result = await checks[0].RunAsync(CancellationToken.None);
        Assert.Contains("ObjectDisposedException", result.Detail, StringComparison.Ordinal);
    }
}
