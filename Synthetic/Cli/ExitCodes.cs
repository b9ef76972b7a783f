namespace Synthetic.Cli;

/// <summary>The process exit codes of every command.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadConfiguration = 2;
}
