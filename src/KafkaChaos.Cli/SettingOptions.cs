using System.CommandLine;
using KafkaChaos.Experiments.Settings;

namespace KafkaChaos.Cli;

/// <summary>
/// A command-line option made from a setting's descriptor: its flag, doc and default come from the one
/// place the file loader reads too, and its value is parsed by the same parser.
/// </summary>
public static class SettingOptions
{
    public static Option<string?> Create(SettingDescriptor setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return new Option<string?>(setting.Flag)
        {
            Description = $"{setting.Doc}; {setting.Expected} (default {setting.DefaultText}; in a file: {setting.Key})",
            HelpName = "value",
        };
    }
}
