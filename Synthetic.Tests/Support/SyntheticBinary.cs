namespace Synthetic.Tests.Support;

/// <summary>The monitor's built Synthetic.dll (same configuration as the tests), for tests of the real process.</summary>
internal static class SyntheticBinary
{
    public static string Path
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = RepoPaths.Combine("Synthetic", "bin", configuration, "net10.0", "Synthetic.dll");
            Assert.True(File.Exists(path), $"{path} is missing: build the solution first (dotnet build Synthetic.sln).");
            return path;
        }
    }
}
