using KafkaChaos.Experiments.Settings;
using KafkaChaos.Faults;
using YamlDotNet.RepresentationModel;

namespace KafkaChaos.Experiments;

/// <summary>
/// One entry of a file's fault list, in an experiment file's <c>faults:</c> and a bench file's <c>sweep.fault:</c>
/// alike: its kind, the options that kind takes (read by their descriptors, as the flags' values are) and an
/// optional window. The two files differ only in their default timing.
/// </summary>
internal static class FaultEntry
{
    private static readonly string[] Keys = ["kind", .. FaultSettings.All.Select(s => s.Key), FaultOptionKeys.Window];

    /// <summary>Reads one fault entry; <paramref name="defaultAt"/> and <paramref name="defaultDuration"/> are the file's own timing defaults.</summary>
    public static FaultSpec Read(YamlMappingNode node, YamlFile yaml, TimeSpan? defaultAt = null, TimeSpan? defaultDuration = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(yaml);
        var scalar = yaml.Scalar;
        var error = yaml.Error;
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in node.Children)
        {
            var key = scalar(keyNode, "faults[]");
            if (!Keys.Contains(key))
            {
                throw error(keyNode, $"unknown fault key '{key}'; a fault has {string.Join(", ", Keys)}");
            }

            fields[key] = value;
        }

        if (!fields.TryGetValue("kind", out var kindNode))
        {
            throw error(node, $"a fault needs 'kind': one of {string.Join(", ", FaultKinds.All)}");
        }

        var kind = scalar(kindNode, "kind");
        if (!FaultKinds.All.Contains(kind))
        {
            throw error(kindNode, $"key 'kind' has value '{kind}'; expected one of {string.Join(", ", FaultKinds.All)}");
        }

        // Every option but the window is one scalar, read by its descriptor as the flags' values are.
        var options = fields.Where(f => f.Key is not ("kind" or "window"))
            .ToDictionary(f => f.Key, f => (scalar(f.Value, f.Key), yaml.At(f.Value)), StringComparer.Ordinal);
        var template = FaultSettings.Template with
        {
            When = new FaultTrigger(defaultAt ?? FaultSpec.DefaultAt),
            Duration = defaultDuration ?? FaultSpec.DefaultDuration,
        };
        var fault = FaultSettings.Build(kind, options, template);
        if (!fields.TryGetValue("window", out var windowNode))
        {
            return fault;
        }

        // A window is [start, end]: the fault fires count times at random in it, instead of at 'at' or every 'every'.
        if (windowNode is not YamlSequenceNode { Children.Count: 2 } window || fields.ContainsKey("at") || fields.ContainsKey("every"))
        {
            throw error(windowNode, "key 'window' takes [start, end], e.g. [5s, 20s], instead of 'at' and 'every'");
        }

        TimeSpan Bound(YamlNode n) => SettingKinds.TryParseDuration(scalar(n, "window"), out var d)
            ? d : throw error(n, $"key 'window' has value '{scalar(n, "window")}'; expected a duration such as 500ms, 5s or 2m");
        return fault with { When = fault.When with { At = Bound(window.Children[0]), WindowEnd = Bound(window.Children[1]) } };
    }
}
