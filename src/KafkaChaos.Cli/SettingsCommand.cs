using System.CommandLine;
using KafkaChaos.Experiments.Settings;

namespace KafkaChaos.Cli;

/// <summary><c>kafka-chaos settings</c>: every setting, its flag, default and values, as docs/settings.md has them.</summary>
public static class SettingsCommand
{
    public static Command Create()
    {
        var command = new Command("settings", "Print every experiment setting and fault option with its key, flag, default and values (Markdown, as docs/settings.md)");
        command.SetAction(_ =>
        {
            Console.Write(SettingsDocument.Render());
            return ExitCodes.Ok;
        });
        return command;
    }
}
