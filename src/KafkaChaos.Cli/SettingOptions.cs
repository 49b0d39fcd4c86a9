using System.CommandLine;
using KafkaChaos.Experiments.Settings;

namespace KafkaChaos.Cli;

/// <summary>
/// A command-line option made from a setting's descriptor: its flag, doc and default come from the one
/// place the file loader reads too, and its value is parsed by the same parser (through
/// <see cref="Experiments.SettingCatalog.BuildSpec"/>), so that a flag and a file refuse the same values.
/// </summary>
public static class SettingOptions
{
    public static Option<string?> Create(SettingDescriptor setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return new Option<string?>(setting.Flag)
        {
            Description = $"{setting.Doc}; {setting.Expected} (default {setting.DefaultText}; in a file: {setting.Key})",
            HelpName = setting.IsSwitch ? "true|false" : "value",
            Arity = setting.IsSwitch ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
        };
    }

    /// <summary>The value given to <paramref name="option"/>, or null when it was not given; a switch given alone is "true".</summary>
    public static string? Given(ParseResult parse, Option<string?> option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetResult(option) is { Implicit: false } result ? result.Tokens.Count == 0 ? "true" : result.Tokens[0].Value : null;
    }
}
