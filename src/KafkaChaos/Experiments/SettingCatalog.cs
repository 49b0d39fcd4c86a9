using KafkaChaos.Cluster;

namespace KafkaChaos.Experiments;

/// <summary>
/// The flat settings an experiment is made of (<c>topic.replication_factor</c>, <c>producer.acks</c>,
/// <c>broker.unclean.leader.election.enable</c>, ...): what the YAML sections flatten to, what matrix
/// axes and expectation conditions name, and how each becomes part of an <see cref="ExperimentSpec"/>.
/// </summary>
/// <remarks>
/// <c>producer.*</c> and <c>broker.*</c> pass any key through, in librdkafka's and Kafka's own names.
/// Values stay strings until <see cref="BuildSpec"/>, which checks each against its type and range and
/// names the file position, key and value when one is wrong.
/// </remarks>
public static class SettingCatalog
{
    /// <summary>Every fixed key, with what it takes, for errors and docs: the descriptors', in their order.</summary>
    public static IReadOnlyDictionary<string, string> Fixed { get; } =
        Settings.SpecSettings.All.ToDictionary(s => s.Key, s => $"{s.Doc}; {s.Expected}", StringComparer.Ordinal);

    public static bool IsKnown(string key) =>
        Fixed.ContainsKey(key) || (key.StartsWith("producer.", StringComparison.Ordinal) && key.Length > 9)
        || (key.StartsWith("broker.", StringComparison.Ordinal) && key.Length > 7);

    /// <summary>Builds the spec for one cell from its flat settings (key → value and where it came from: a file position, or a flag).</summary>
    public static ExperimentSpec BuildSpec(string name, IReadOnlyDictionary<string, (string Value, string Where)> settings,
        IReadOnlyList<Faults.FaultSpec> faults, int? seed)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var spec = ExperimentSpec.Default with { Name = name, Faults = faults, Seed = seed };
        foreach (var setting in Settings.SpecSettings.All)
        {
            var given = settings.TryGetValue(setting.Key, out var value) ? value : ((string Value, string Where)?)null;
            if (given is not null && setting.Excludes is { } excluded && settings.TryGetValue(excluded, out var both))
            {
                throw Bad(both, excluded, $"no {excluded} alongside {setting.Key}: give one or the other");
            }

            spec = setting.Apply(spec, given);
        }

        var (userProducer, broker) = PassedThrough(settings);
        return spec with { BrokerConfig = broker, Producer = ProducerSettings.Merge(ExperimentSpec.Default.Producer, userProducer) };
    }

    /// <summary>The producer.* and broker.* settings, which go to the clients and server.properties as they are.</summary>
    private static (List<KeyValuePair<string, string>> Producer, Dictionary<string, string> Broker) PassedThrough(IReadOnlyDictionary<string, (string Value, string Where)> settings)
    {
        var producer = new List<KeyValuePair<string, string>>();
        var broker = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, setting) in settings)
        {
            // Passed-through keys end up in config files and client settings: one line, plain names only.
            if ((key.StartsWith("producer.", StringComparison.Ordinal) || key.StartsWith("broker.", StringComparison.Ordinal))
                && !IsPassThrough(key, setting.Value))
            {
                throw Bad(setting, key, PassThroughForm);
            }

            if (key.StartsWith("producer.", StringComparison.Ordinal))
            {
                producer.Add(new(key[9..], setting.Value));
            }
            else if (key.StartsWith("broker.", StringComparison.Ordinal))
            {
                broker[key[7..]] = setting.Value;
            }
        }

        return (producer, broker);
    }

    /// <summary>What a passed-through producer or broker setting must look like, as errors say it.</summary>
    public const string PassThroughForm = "a key of letters, digits, '.', '_' and '-', and a value on one line of at most 1000 characters";

    /// <summary>
    /// Whether a passed-through setting can be written into a config file or a client's settings as it is: a
    /// plain key and a one-line value of at most 1000 characters. Files and flags are held to it alike.
    /// </summary>
    public static bool IsPassThrough(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return ClusterSpec.IsPlainKey(key) && !value.Any(char.IsControl) && value.Length <= 1000;
    }

    private static ExperimentConfigException Bad((string Value, string Where) setting, string key, string expected) =>
        new($"{setting.Where}: key '{key}' has value '{setting.Value}'; expected {expected}");
}
