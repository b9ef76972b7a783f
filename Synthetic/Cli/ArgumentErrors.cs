using System.CommandLine;

namespace Synthetic.Cli;

/// <summary>The parser's errors plus the unmatched tokens that are not configuration arguments, as short messages.</summary>
internal static class ArgumentErrors
{
    public static IReadOnlyList<string> Of(ParseResult parseResult, IReadOnlyList<string> commandLine)
    {
        var messages = parseResult.Errors.Select(e => e.Message).ToList();
        var command = parseResult.CommandResult.Command;

        // The parser applies the root's TreatUnmatchedTokensAsErrors (false: configuration arguments) to every
        // command; a command that takes no configuration (demo) keeps it true and rejects them all here.
        var acceptsConfiguration = !command.TreatUnmatchedTokensAsErrors;
        var (args, unknown, missing) = ConfigurationArguments.Split(parseResult.UnmatchedTokens);
        if (!acceptsConfiguration)
        {
            unknown = [.. unknown, .. args.Where(ConfigurationArguments.IsConfigurationKey), .. missing];
            missing = [];
        }

        foreach (var token in unknown)
        {
            if (!token.StartsWith('-') && command.Subcommands.Count > 0 && commandLine.Count > 0 && commandLine[0] == token)
            {
                messages.Add($"unknown command '{token}' (commands: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}).");
            }
            else if (token.StartsWith('-'))
            {
                var suggestion = Suggest(token, OptionNames(parseResult));
                messages.Add($"unknown option '{token}'{(suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)")}.");
            }
            else
            {
                messages.Add($"unexpected argument '{token}'" +
                             (acceptsConfiguration ? " (configuration arguments look like --Synthetic:Listen=http://0.0.0.0:9190)." : "."));
            }
        }

        messages.AddRange(missing.Select(token => $"'{token}' needs a value ({token}=VALUE or {token} VALUE)."));
        return messages;
    }

    private static List<string> OptionNames(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            foreach (var option in result.Command.Options)
            {
                names.Add(option.Name);
                names.AddRange(option.Aliases);
            }
        }

        return names;
    }

    /// <summary>The closest known option within two edits, if any.</summary>
    private static string? Suggest(string token, IReadOnlyList<string> names)
    {
        var name = token.Split('=', 2)[0];
        return names.Where(n => n.StartsWith("--", StringComparison.Ordinal))
            .Select(n => (Name: n, Distance: Distance(name, n)))
            .Where(x => x.Distance <= 2)
            .OrderBy(x => x.Distance)
            .Select(x => x.Name)
            .FirstOrDefault();
    }

    /// <summary>Edit distance with transpositions (optimal string alignment), so "--wiat" is one edit from "--wait".</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
