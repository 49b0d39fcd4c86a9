using System.CommandLine;
using System.Text.RegularExpressions;

namespace KafkaChaos.Cli;

/// <summary>
/// A parse error as one line: what was wrong, the closest option when a name was mistyped, and where
/// the help is. System.CommandLine would print the whole help page and exit 1.
/// </summary>
public static partial class UsageErrors
{
    /// <summary>
    /// A token that looks like an option but is none of the command's. The parser takes it for the
    /// experiment file argument (<c>run --mesages 100</c>), so it is not among its errors.
    /// </summary>
    public static string? MistypedOption(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var known = parsed.CommandResult.Command.Options.SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
        return parsed.Tokens.Where(t => t.Type == System.CommandLine.Parsing.TokenType.Argument && t.Value.StartsWith("--", StringComparison.Ordinal) && !known.Contains(t.Value))
            .Select(t => t.Value).FirstOrDefault();
    }

    public static string Describe(ParseResult parsed, RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var command = parsed.CommandResult.Command;
        var name = command == root ? "kafka-chaos" : $"kafka-chaos {command.Name}";
        var mistyped = MistypedOption(parsed);
        var message = mistyped is not null ? $"unknown option '{mistyped}'" : Whitespace().Replace(parsed.Errors[0].Message, " ").Trim().TrimEnd('.');
        if (WrongType().Match(message) is { Success: true } wrongType)
        {
            // System.CommandLine names the .NET type it wanted; the user needs to hear what kind of value.
            message = $"{wrongType.Groups["option"].Value}: '{wrongType.Groups["value"].Value}' is not {KindOf(wrongType.Groups["type"].Value)}";
        }

        else if (NotAmong().Match(message) is { Success: true } notAmong && OptionOf(parsed.Errors[0]) is { } option)
        {
            // The library leaves out which option refused the value; a line that does not name it is no help.
            message = $"{option}: '{notAmong.Groups["value"].Value}' is not one of {notAmong.Groups["values"].Value.Replace("'", "", StringComparison.Ordinal).Replace(" ", ", ", StringComparison.Ordinal)}";
        }

        var suggestion = "";
        if ((mistyped is not null || message.StartsWith("Unrecognized", StringComparison.Ordinal)) && Unrecognized().Match(message) is { Success: true } match && match.Groups[1].Value.StartsWith('-'))
        {
            var typed = match.Groups[1].Value;
            var closest = command.Options.Select(o => o.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal))
                .Select(n => (Name: n, Distance: Distance(typed, n))).OrderBy(c => c.Distance).FirstOrDefault();
            if (closest.Name is not null && closest.Distance <= 2)
            {
                suggestion = $"; did you mean {closest.Name}?";
            }
        }

        return $"{name}: {message}{suggestion}; see '{name} --help'";
    }

    /// <summary>The option whose value an error is about, if it is about one.</summary>
    private static string? OptionOf(System.CommandLine.Parsing.ParseError error) => error.SymbolResult switch
    {
        System.CommandLine.Parsing.OptionResult option => option.Option.Name,
        System.CommandLine.Parsing.ArgumentResult { Parent: System.CommandLine.Parsing.OptionResult option } => option.Option.Name,
        _ => null,
    };

    private static string KindOf(string type) => type switch
    {
        _ when type.Contains("Int", StringComparison.Ordinal) => "a whole number",
        _ when type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) => "a number",
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ => "a value this option takes",
    };

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (?:option|argument|command) '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial Regex WrongType();

    [GeneratedRegex(@"^Argument '(?<value>.*)' not recognized\. Must be one of: ?(?<values>.*)$")]
    private static partial Regex NotAmong();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex Unrecognized();
}
