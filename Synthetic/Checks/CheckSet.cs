namespace Synthetic.Checks;

/// <summary>The checks of one monitor. Disposing it disposes their HTTP handlers (and so their sockets).</summary>
internal sealed class CheckSet(IReadOnlyList<ICheck> checks) : IDisposable
{
    public IReadOnlyList<ICheck> All => checks;

    public void Dispose()
    {
        foreach (var check in checks.OfType<IDisposable>())
        {
            check.Dispose();
        }
    }
}
