using System.Globalization;

namespace KafkaChaos.Cluster;

/// <summary>
/// What cluster to start: the broker image, the Kafka version inside it, how many brokers, cluster-wide
/// broker settings (min.insync.replicas, unclean.leader.election.enable, … any key), and per-broker
/// overrides on top of those.
/// </summary>
public sealed record ClusterSpec(
    string Image,
    KafkaVersion Version,
    int Brokers,
    IReadOnlyDictionary<string, string> BrokerConfig,
    IReadOnlyDictionary<int, IReadOnlyDictionary<string, string>>? BrokerOverrides = null)
{
    public const int MinBrokers = 1;
    public const int MaxBrokers = 9;

    /// <summary>The settings broker <paramref name="brokerId"/> gets: cluster-wide, then its own overrides.</summary>
    public IReadOnlyDictionary<string, string> SettingsFor(int brokerId)
    {
        var settings = new Dictionary<string, string>(BrokerConfig, StringComparer.Ordinal);
        if (BrokerOverrides?.GetValueOrDefault(brokerId) is { } overrides)
        {
            foreach (var (key, value) in overrides)
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    /// <summary>Why a cluster of <paramref name="brokers"/> cannot be started, or null: the one rule for 'cluster up', experiments and the bench.</summary>
    public static string? BrokerCountProblem(int brokers) =>
        brokers is < MinBrokers or > MaxBrokers ? $"{brokers} is out of range {MinBrokers}..{MaxBrokers}" : null;

    /// <summary>Rejects what cannot start, before anything does.</summary>
    /// <exception cref="ClusterConfigException">With the setting and what is allowed.</exception>
    public void Validate()
    {
        if (BrokerCountProblem(Brokers) is { } problem)
        {
            throw new ClusterConfigException($"brokers: {problem}");
        }

        if (BrokerOverrides?.Keys.FirstOrDefault(id => id < 1 || id > Brokers) is { } unknown and not 0)
        {
            throw new ClusterConfigException($"broker override for broker {unknown}: brokers are 1..{Brokers}");
        }

        foreach (var id in Enumerable.Range(1, Brokers))
        {
            var settings = SettingsFor(id);
            foreach (var (key, value) in settings)
            {
                // Settings are written into server.properties: one plain key and a one-line value each.
                if (!IsPlainKey(key) || value.Any(char.IsControl))
                {
                    throw new ClusterConfigException($"broker {id}: setting '{Printable(key)}={Printable(value)}' is not a plain key and a one-line value");
                }
            }

            if (settings.TryGetValue("min.insync.replicas", out var minIsr)
                && (!int.TryParse(minIsr, NumberStyles.None, CultureInfo.InvariantCulture, out var min) || min < 1 || min > Brokers))
            {
                throw new ClusterConfigException($"broker {id}: min.insync.replicas={minIsr} must be 1..{Brokers} (the number of brokers)");
            }
        }
    }

    /// <summary>A setting name as Kafka and librdkafka spell them: letters, digits, '.', '_' and '-'.</summary>
    public static bool IsPlainKey(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
