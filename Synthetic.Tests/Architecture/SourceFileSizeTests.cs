using Synthetic.Tests.Support;

namespace Synthetic.Tests.Architecture;

/// <summary>One concept per file: no source file of the monitor grows past <see cref="MaxLines"/> lines.</summary>
public sealed class SourceFileSizeTests
{
    private const int MaxLines = 300;

    [Fact]
    public void SourceFiles_UnderSynthetic_AtMost300LinesEach()
    {
        var root = RepoPaths.Combine("Synthetic");
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(Path.GetRelativePath(root, path)))
            .ToList();
        var offenders = files
            .Select(path => (Path: Path.GetRelativePath(RepoPaths.Root, path).Replace('\\', '/'), Lines: File.ReadLines(path).Count()))
            .Where(file => file.Lines > MaxLines)
            .OrderByDescending(file => file.Lines)
            .ThenBy(file => file.Path, StringComparer.Ordinal)
            .Select(file => $"    {file.Path}: {file.Lines} lines ({file.Lines - MaxLines} over)")
            .ToList();

        Assert.NotEmpty(files);
        Assert.True(offenders.Count == 0,
            $"{offenders.Count} source file(s) under Synthetic/ exceed {MaxLines} lines:\n" + string.Join('\n', offenders) +
            "\nSplit each by concept (one type or one responsibility per file, see docs/style.md), keeping its folder.");
    }

    private static bool IsBuildOutput(string relative)
    {
        var first = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0];
        return first is "bin" or "obj";
    }
}
