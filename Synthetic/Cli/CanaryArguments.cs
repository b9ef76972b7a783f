using System.CommandLine;
using System.CommandLine.Parsing;
using Synthetic.Checks.Transcription;

namespace Synthetic.Cli;

/// <summary>The options <c>check</c> and <c>calibrate</c> share to point the canary somewhere, built and validated in one place.</summary>
internal static class CanaryArguments
{
    public static Option<string> Target(string description, bool required) => new("--target")
    {
        Description = description,
        HelpName = "URL",
        Required = required,
        CustomParser = result => Token(result) is { } text && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? text
            : Error<string>(result, $"--target: '{Token(result)}' is not an absolute http:// or https:// URL."),
    };

    public static Option<string> LicenseKeyFile(string description) => new("--license-key-file")
    {
        Description = description,
        HelpName = "FILE",
        CustomParser = result => Token(result) is { Length: > 0 } text ? text : Error<string>(result, "--license-key-file: a file path is required."),
    };

    public static Option<string> Dialect(string description) => new("--dialect")
    {
        Description = $"{description}: {string.Join(", ", TranscriptionDialects.Catalog.DefaultPaths.Keys)}.",
        HelpName = "NAME",
        CustomParser = result => Token(result) is { } text && TranscriptionDialects.Catalog.DefaultPaths.ContainsKey(text)
            ? text
            : Error<string>(result, $"--dialect: '{Token(result)}' is not one of {string.Join(", ", TranscriptionDialects.Catalog.DefaultPaths.Keys)}."),
    };

    public static Option<string[]> Sample(string description)
    {
        var sample = new Option<string[]>("--sample") { Description = description, HelpName = "ID" };
        sample.Validators.Add(result =>
        {
            if (result.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
            {
                result.AddError("--sample: a sample id is required (see fixtures/audio/manifest.json).");
            }
        });
        return sample;
    }

    public static string? Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[0].Value : null;

    public static T? Error<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default;
    }
}
