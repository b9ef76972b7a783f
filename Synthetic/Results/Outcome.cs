namespace Synthetic.Results;

internal enum Outcome
{
    Success,
    Degraded,
    Failure,
}

internal static class OutcomeNames
{
    public static string Name(this Outcome outcome) => outcome switch
    {
        Outcome.Success => "success",
        Outcome.Degraded => "degraded",
        _ => "failure",
    };

    public static bool Passed(this Outcome outcome) => outcome != Outcome.Failure;
}
