using System.Collections.Concurrent;
using Mono.Cecil;

namespace Synthetic.Tests.Architecture;

/// <summary>
/// Reads compiled modules with Mono.Cecil, once per path. The resolver knows the test's output folder and the
/// shared frameworks, because decoding an attribute's enum argument resolves the enum's assembly.
/// </summary>
internal static class ModuleReader
{
    private static readonly ConcurrentDictionary<string, ModuleDefinition> Modules = new(StringComparer.Ordinal);

    public static ModuleDefinition Read(string path) => Modules.GetOrAdd(path, static p =>
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(p)!);
        resolver.AddSearchDirectory(AppContext.BaseDirectory);
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Builder.WebApplication).Assembly.Location)!);
        return ModuleDefinition.ReadModule(p, new ReaderParameters { AssemblyResolver = resolver, ReadSymbols = false });
    });
}
