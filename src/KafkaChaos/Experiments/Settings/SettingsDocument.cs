using System.Text;

namespace KafkaChaos.Experiments.Settings;

/// <summary>
/// docs/settings.md, rendered from the descriptors themselves (<c>kafka-chaos settings</c> prints it), so that the
/// reference cannot say one default or range while the loader and the flags hold another.
/// </summary>
public static class SettingsDocument
{
    public static string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("# Settings");
        text.AppendLine();
        text.AppendLine("Every setting of an experiment, with its key in files, matrix axes and results.json, the `run`/`check` flag that sets it, "
            + "its default and the values it takes. Written by `kafka-chaos settings` from the settings' descriptors "
            + "(src/KafkaChaos/Experiments/Settings/), which the file loader, the flags, the validator and results.json all read; a test holds this file to them.");
        text.AppendLine();
        text.AppendLine("`producer.*` and `broker.*` pass any key through, in librdkafka's and Kafka's own names (`--producer-config`, `--broker-config`; `--acks` is `producer.acks`).");
        Table(text, "Experiment", "key", SpecSettings.All);
        Table(text, "Fault options (an entry of `faults`; `--fault <kind>` and these flags)", "option", FaultSettings.All);
        text.AppendLine();
        text.AppendLine("Every fault takes at, every, count, duration and, in a file, window: [start, end]. Each kind takes only its own further options:");
        text.AppendLine();
        foreach (var kind in Faults.FaultKinds.All)
        {
            var options = Faults.FaultKinds.Of(kind).Options;
            text.AppendLine($"- {kind}: {(options.Count == 0 ? "no further options" : string.Join(", ", options))}");
        }

        return text.ToString();
    }

    private static void Table(StringBuilder text, string title, string keyName, IEnumerable<SettingDescriptor> settings)
    {
        text.AppendLine();
        text.AppendLine($"## {title}");
        text.AppendLine();
        text.AppendLine($"| {keyName} | flag | default | values | what it decides |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var setting in settings)
        {
            text.AppendLine($"| `{setting.Key}` | `{setting.Flag}` | {Cell(setting.DefaultText)} | {Cell(setting.Expected)} | {Cell(setting.Doc)} |");
        }
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
