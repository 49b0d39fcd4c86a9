using System.Globalization;

namespace KafkaChaos.Cluster;

/// <summary>
/// What cluster to start: the broker image, the Kafka version inside it, how many brokers, cluster-wide
/// broker settings (min.insync.replicas, unclean.leader.election.enable, … any key), and per-broker
/// overrides on top of those; in KRaft mode, where the controllers run. A null mode is the version's
/// default (<see cref="ResolveMode"/>); <see cref="Resolved"/> fills both in.
/// </summary>
public sealed record ClusterSpec(
    string Image,
    KafkaVersion Version,
    int Brokers,
    IReadOnlyDictionary<string, string> BrokerConfig,
    IReadOnlyDictionary<int, IReadOnlyDictionary<string, string>>? BrokerOverrides = null,
    ClusterMode? Mode = null,
    ControllerPlacement? Controllers = null)
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

    /// <summary>
    /// The mode a cluster of <paramref name="version"/> runs in: what was asked, else KRaft from 3.3 and
    /// ZooKeeper before; and, in KRaft mode, where its controllers run (asked, else the default for the brokers).
    /// </summary>
    /// <exception cref="ClusterConfigException">The version cannot run the mode or placement asked for.</exception>
    public static (ClusterMode Mode, ControllerPlacement? Controllers) ResolveMode(KafkaVersion version, ClusterMode? mode, ControllerPlacement? controllers, int brokers)
    {
        ArgumentNullException.ThrowIfNull(version);
        var resolved = mode ?? (version.HasKRaft ? ClusterMode.KRaft : ClusterMode.ZooKeeper);
        if (resolved == ClusterMode.ZooKeeper && version.RequiresKRaft)
        {
            throw new ClusterConfigException($"cluster.mode: zookeeper: Kafka {version} has no ZooKeeper mode (removed in 4.0, KIP-833); leave cluster.mode out, or set it to kraft");
        }

        if (resolved == ClusterMode.KRaft && !version.HasKRaft)
        {
            throw new ClusterConfigException($"cluster.mode: kraft: Kafka {version} has no production KRaft mode (it arrived in 3.3, KIP-833); use Kafka 3.3 or later, or cluster.mode: zookeeper");
        }

        if (resolved == ClusterMode.ZooKeeper)
        {
            return controllers is null ? (resolved, null)
                : throw new ClusterConfigException($"cluster.controllers: {controllers}: a ZooKeeper-mode cluster has no KRaft controllers; leave cluster.controllers out, or run KRaft (Kafka 3.3 or later)");
        }

        return (resolved, controllers ?? ControllerPlacement.DefaultFor(brokers));
    }

    /// <summary>The metadata mode this spec runs in, its version's default when none was asked.</summary>
    public ClusterMode EffectiveMode => ResolveMode(Version, Mode, Controllers, Brokers).Mode;

    /// <summary>This spec with its mode and, in KRaft mode, its controllers filled in.</summary>
    /// <exception cref="ClusterConfigException">The version cannot run what was asked.</exception>
    public ClusterSpec Resolved()
    {
        var (mode, controllers) = ResolveMode(Version, Mode, Controllers, Brokers);
        return this with { Mode = mode, Controllers = controllers };
    }

    /// <summary>Rejects what cannot start, before anything does.</summary>
    /// <exception cref="ClusterConfigException">With the setting and what is allowed.</exception>
    public void Validate()
    {
        ValidateShape();
        var (mode, controllers) = ResolveMode(Version, Mode, Controllers, Brokers);
        if (mode == ClusterMode.KRaft && controllers!.QuorumProblem(Brokers) is { } quorum)
        {
            throw new ClusterConfigException($"cluster.controllers: {quorum}");
        }

        foreach (var id in Enumerable.Range(1, Brokers))
        {
            if (SettingsFor(id).Keys.Select(k => (Key: k, Problem: KRaftConfig.SettingProblem(k, mode))).FirstOrDefault(p => p.Problem is not null) is { Problem: { } wrongMode } setting)
            {
                throw new ClusterConfigException($"broker setting {setting.Key}: {wrongMode}");
            }
        }
    }

    /// <summary>
    /// What can be checked before the Kafka version is known (before an engine is asked for the image): the
    /// broker count, the overrides' broker ids, and every setting's form and min.insync.replicas.
    /// </summary>
    /// <exception cref="ClusterConfigException">With the setting and what is allowed.</exception>
    public void ValidateShape()
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
