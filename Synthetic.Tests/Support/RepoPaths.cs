namespace Synthetic.Tests.Support;

/// <summary>Locates files of the repository from the test's output folder.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Synthetic.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Synthetic.sln not found above " + AppContext.BaseDirectory);
    }
}
