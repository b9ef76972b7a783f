namespace Synthetic.Tests.Support;

/// <summary>
/// Tests that measure the process (memory, real external programs, timing-sensitive stacks) run alone,
/// after the parallel tests, so another test's load cannot distort what they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
