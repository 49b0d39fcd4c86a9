using System.Text;
using System.Text.RegularExpressions;
using KafkaChaos.Experiments.Settings;
using KafkaChaos.Faults;

namespace KafkaChaos.Experiments;

/// <summary>
/// An experiment file for one spec, written out in full (<c>kafka-chaos new</c>): every setting at its value,
/// each with its one-line doc from its descriptor, those the user gave marked, so that a command line that
/// reproduced an incident becomes a file to edit, share and put under version control.
/// </summary>
/// <remarks>
/// The file loads back to the same spec: values are written as the results name them (the form a file
/// reads), the excluded one of a pair of settings (messages or duration) is left out, and the settings a
/// commit strategy implies (<c>consumer.client.*</c>) are not written, as the strategy sets them again.
/// </remarks>
public static partial class ExperimentFileWriter
{
    private static readonly string[] Sections = ["cluster", "topic", "workload", "producer", "consumer", "broker", "nemesis"];

    /// <param name="spec">The experiment.</param>
    /// <param name="given">The flat settings the user gave, as given (marked in the file; of two settings that exclude each other, the given one is written).</param>
    /// <param name="command">The command line it came from, for the file's first comment.</param>
    public static string Render(ExperimentSpec spec, IReadOnlyDictionary<string, string> given, string command)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(given);
        var described = spec.Describe();
        var omitted = SpecSettings.All.Where(s => s.Excludes is not null && !given.ContainsKey(s.Key)).Select(s => s.Key)
            .Concat(SpecSettings.All.Where(s => s.Excludes is not null && given.ContainsKey(s.Key)).Select(s => s.Excludes!)).ToHashSet(StringComparer.Ordinal);
        var yaml = new StringBuilder();
        yaml.Append("# Written by: ").Append(command).Append('\n');
        yaml.Append("# Every setting at its value, with what it does; '# given' marks those the command gave. docs/settings.md lists each.\n");
        yaml.Append("name: ").Append(Scalar(spec.Name)).Append('\n');
        foreach (var section in Sections)
        {
            var fixedKeys = SpecSettings.All.Where(s => s.Key.StartsWith(section + ".", StringComparison.Ordinal) && !omitted.Contains(s.Key))
                .Select(s => (s.Key, Value: described.TryGetValue(s.Key, out var value) ? value : given.GetValueOrDefault(s.Key), s.Doc));
            var passedThrough = described.Where(d => d.Key.StartsWith(section + ".", StringComparison.Ordinal) && SpecSettings.Of(d.Key) is null && SettingCatalog.IsKnown(d.Key))
                .OrderBy(d => d.Key, StringComparer.Ordinal)
                .Select(d => (d.Key, Value: (string?)d.Value, Doc: section == "producer" ? "a librdkafka producer setting" : "a server.properties setting"));
            var keys = fixedKeys.Concat(passedThrough).Where(k => k.Value is not null).ToList();
            if (keys.Count == 0)
            {
                continue;
            }

            yaml.Append(section).Append(":\n");
            foreach (var (key, value, doc) in keys)
            {
                yaml.Append("  ").Append(key[(section.Length + 1)..]).Append(": ").Append(Scalar(value!))
                    .Append("   # ").Append(given.ContainsKey(key) ? "given; " : "").Append(doc).Append('\n');
            }
        }

        if (spec.Faults.Count > 0)
        {
            yaml.Append("faults:\n");
            foreach (var fault in spec.Faults)
            {
                AppendFault(yaml, fault);
            }
        }

        if (spec.Seed is { } seed)
        {
            yaml.Append("seed: ").Append(seed.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("   # fault times and targets, and random keys\n");
        }

        return yaml.ToString();
    }

    /// <summary>One fault entry: its kind, the options its kind takes, and its timing.</summary>
    private static void AppendFault(StringBuilder yaml, FaultSpec fault)
    {
        var kind = FaultKinds.Of(fault.Kind);
        var keys = new List<string>(kind.Options) { FaultOptionKeys.At };
        if (fault.When.Every is not null)
        {
            keys.AddRange([FaultOptionKeys.Every, FaultOptionKeys.Count]);
        }

        if (kind.HasDuration)
        {
            keys.Add(FaultOptionKeys.Duration);
        }

        var options = FaultSettings.Describe(fault, keys).Select(o => $"{o.Key}: {Scalar(o.Value)}");
        yaml.Append("  - { kind: ").Append(fault.Kind);
        foreach (var option in options)
        {
            yaml.Append(", ").Append(option);
        }

        yaml.Append(" }   # ").Append(fault.Describe()).Append('\n');
    }

    /// <summary>A plain word as it is; anything YAML could read otherwise, double-quoted.</summary>
    private static string Scalar(string value) => PlainScalar().IsMatch(value) ? value
        : "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_./+-]*$")]
    private static partial Regex PlainScalar();
}
