using System.CommandLine;

namespace Synthetic.Cli;

/// <summary>
/// What a command passes on to the configuration: the file from <c>--config</c> (or SYNTHETIC_CONFIG) and the
/// .NET configuration-style arguments (<c>--Synthetic:Key=value</c> or <c>--Synthetic:Key value</c>) the parser
/// left unmatched. Any other unmatched token is an error.
/// </summary>
internal sealed record ConfigurationArguments(string[] Args, string? ConfigFile)
{
    public const string ConfigEnvironmentVariable = "SYNTHETIC_CONFIG";

    public static Option<string> CreateConfigOption() => new("--config")
    {
        Description = $"A JSON configuration file, layered after appsettings.json (default: ${ConfigEnvironmentVariable}).",
        HelpName = "FILE",
    };

    /// <summary>The configuration arguments and the config file of a parse without errors.</summary>
    public static ConfigurationArguments From(ParseResult parseResult, Option<string> configOption)
    {
        var (args, _, _) = Split(parseResult.UnmatchedTokens);
        var file = parseResult.GetValue(configOption);
        return new ConfigurationArguments(args, string.IsNullOrWhiteSpace(file) ? Environment.GetEnvironmentVariable(ConfigEnvironmentVariable) : file);
    }

    /// <summary>Unmatched tokens split into configuration arguments, tokens that are not, and keys without a value.</summary>
    public static (string[] Args, IReadOnlyList<string> Unknown, IReadOnlyList<string> MissingValue) Split(IReadOnlyList<string> unmatched)
    {
        var args = new List<string>();
        var unknown = new List<string>();
        var missing = new List<string>();
        for (var i = 0; i < unmatched.Count; i++)
        {
            var token = unmatched[i];
            if (!IsConfigurationKey(token))
            {
                unknown.Add(token);
                if (token.StartsWith('-') && !token.Contains('=', StringComparison.Ordinal) && i + 1 < unmatched.Count && !unmatched[i + 1].StartsWith('-'))
                {
                    i++; // the unknown option's value: one error, not two
                }

                continue;
            }

            args.Add(token);
            if (token.Contains('=', StringComparison.Ordinal))
            {
                continue;
            }

            if (i + 1 < unmatched.Count && !IsConfigurationKey(unmatched[i + 1]))
            {
                args.Add(unmatched[++i]);
            }
            else
            {
                args.RemoveAt(args.Count - 1);
                missing.Add(token);
            }
        }

        return ([.. args], unknown, missing);
    }

    /// <summary>A configuration path such as <c>--Synthetic:Listen</c> or <c>--Logging:LogLevel:Default=Debug</c>.</summary>
    public static bool IsConfigurationKey(string token)
    {
        if (!token.StartsWith("--", StringComparison.Ordinal))
        {
            return false;
        }

        var key = token[2..].Split('=', 2)[0];
        return key.Contains(':', StringComparison.Ordinal) && !key.StartsWith(':') && !key.EndsWith(':') && !key.Any(char.IsWhiteSpace);
    }

    public static async Task WriteErrorsAsync(TextWriter stderr, IReadOnlyList<string> errors)
    {
        await stderr.WriteLineAsync($"synthetic: invalid configuration ({errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")}):");
        foreach (var error in errors)
        {
            await stderr.WriteLineAsync("  - " + error);
        }
    }
}
