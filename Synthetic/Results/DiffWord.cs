namespace Synthetic.Results;

/// <summary>
/// One position of the word diff of a canary sample, for the status page: <see cref="Op"/> is <c>match</c>,
/// <c>substitution</c>, <c>deletion</c> (expected, not heard) or <c>insertion</c> (heard, not expected).
/// </summary>
internal readonly record struct DiffWord(string Op, string? Expected, string? Heard);
