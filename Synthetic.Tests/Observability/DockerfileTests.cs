using System.Text.RegularExpressions;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Observability;

/// <summary>The two images publish their project, expose their port and have a HEALTHCHECK; bin/obj stay out of the context.</summary>
public sealed class DockerfileTests
{
    [Theory]
    [InlineData("Dockerfile", "9190", "/healthz", "Synthetic/Synthetic.csproj")]
    [InlineData("Dockerfile.standin", "7100", "/_standin/mode", "Synthetic.StandIn/Synthetic.StandIn.csproj")]
    public void Dockerfile_Image_PublishesProjectExposesPortAndHasHealthcheck(string file, string port, string healthPath, string project)
    {
        var text = File.ReadAllText(RepoPaths.Combine(file));

        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", text, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", text, StringComparison.Ordinal);
        Assert.Contains($"dotnet publish {project} -c Release -o /app", text, StringComparison.Ordinal);
        Assert.Matches($@"(?m)^EXPOSE {port}\s*$", text);
        Assert.Matches($@"(?m)^HEALTHCHECK .*\\$\s+CMD .*/dev/tcp/127\.0\.0\.1/{port}.*GET {Regex.Escape(healthPath)} ", text);
        var ignored = File.ReadAllLines(RepoPaths.Combine(".dockerignore"));
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
    }
}
