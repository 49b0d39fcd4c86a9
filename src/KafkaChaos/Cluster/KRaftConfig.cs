using System.Globalization;
using System.Text;

namespace KafkaChaos.Cluster;

/// <summary>
/// Configuration for KRaft mode (Kafka 3.3 and later, the only mode from 4.0): server.properties for a
/// broker image built from a distribution, and the same settings as environment variables for the
/// official <c>apache/kafka</c> image.
/// </summary>
/// <remarks>
/// A static quorum, as Kafka's KRaft documentation describes it for a fixed set of controllers:
/// every node lists the voters in <c>controller.quorum.voters</c> (id@host:9093), controllers listen
/// on a CONTROLLER listener named in <c>controller.listener.names</c>, brokers talk to each other on
/// PLAINTEXT (<c>inter.broker.listener.name</c>) and advertise only that; every node's storage is
/// formatted with the same cluster id before its first start. The experiment defaults of ZooKeeper
/// mode apply, and per-broker settings override everything.
/// </remarks>
public static class KRaftConfig
{
    public const int ControllerPort = 9093;
    public const int FirstSeparateControllerId = 101;
    public const int QuorumSize = 3;

    /// <summary>KRaft is production-ready from 3.3; ZooKeeper mode is gone from 4.0.</summary>
    public static bool Supports(KafkaVersion version) => version >= new KafkaVersion(3, 3, 0);

    public static bool Requires(KafkaVersion version) => version >= new KafkaVersion(4, 0, 0);

    /// <summary>The servers of a cluster of <paramref name="brokers"/> brokers, with their addresses.</summary>
    public static IReadOnlyList<KRaftNode> Nodes(int brokers, KRaftLayout layout, Func<int, string> hostOf)
    {
        ArgumentNullException.ThrowIfNull(hostOf);
        var nodes = Enumerable.Range(1, brokers)
            .Select(id => new KRaftNode(id, IsBroker: true, IsController: layout == KRaftLayout.Combined && id <= QuorumSize, hostOf(id)))
            .ToList();
        if (layout == KRaftLayout.SeparateControllers)
        {
            nodes.AddRange(Enumerable.Range(FirstSeparateControllerId, QuorumSize).Select(id => new KRaftNode(id, false, true, hostOf(id))));
        }

        return nodes;
    }

    public static string Voters(IEnumerable<KRaftNode> nodes) =>
        string.Join(',', nodes.Where(n => n.IsController).Select(n => $"{n.NodeId}@{n.Host}:{ControllerPort}"));

    /// <summary>Every setting of one server, defaults first and the spec's settings on top.</summary>
    public static SortedDictionary<string, string> Settings(ClusterSpec spec, KRaftNode node, IReadOnlyList<KRaftNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(node);
        var settings = node.IsBroker ? ZooKeeperBrokerConfig.ExperimentDefaults(spec) : new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["log.dirs"] = ZooKeeperBrokerConfig.DataDirectory,
        };
        settings.Remove("delete.topic.enable"); // always on in KRaft
        var listeners = new List<string>();
        if (node.IsBroker)
        {
            listeners.Add($"PLAINTEXT://0.0.0.0:{ZooKeeperBrokerConfig.ClientPort}");
            settings["advertised.listeners"] = $"PLAINTEXT://{node.Host}:{ZooKeeperBrokerConfig.ClientPort}";
            settings["inter.broker.listener.name"] = "PLAINTEXT";
        }

        if (node.IsController)
        {
            listeners.Add($"CONTROLLER://0.0.0.0:{ControllerPort}");
        }

        settings["process.roles"] = node.Roles;
        settings["node.id"] = node.NodeId.ToString(CultureInfo.InvariantCulture);
        settings["controller.quorum.voters"] = Voters(nodes);
        settings["controller.listener.names"] = "CONTROLLER";
        settings["listeners"] = string.Join(',', listeners);
        settings["listener.security.protocol.map"] = "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT";
        if (node.IsBroker)
        {
            foreach (var (key, value) in spec.SettingsFor(node.NodeId))
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    public static string RenderServerProperties(ClusterSpec spec, KRaftNode node, IReadOnlyList<KRaftNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(node);
        return ZooKeeperBrokerConfig.Render($"node {node.NodeId} ({node.Roles}), Kafka {spec.Version}, KRaft mode", Settings(spec, node, nodes));
    }

    /// <summary>
    /// The same settings for the apache/kafka image, which reads every environment variable named
    /// KAFKA_&lt;KEY&gt; as a setting (key upper-cased, '.' → '_', '_' → '__', '-' → '___') and the
    /// cluster id from CLUSTER_ID.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ImageEnvironment(ClusterSpec spec, KRaftNode node, IReadOnlyList<KRaftNode> nodes, string clusterId)
    {
        var environment = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["CLUSTER_ID"] = clusterId };
        foreach (var (key, value) in Settings(spec, node, nodes))
        {
            environment[EnvironmentName(key)] = value;
        }

        return environment;
    }

    public static string EnvironmentName(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var name = new StringBuilder("KAFKA_");
        foreach (var c in key)
        {
            name.Append(c switch
            {
                '.' => "_",
                '_' => "__",
                '-' => "___",
                _ => char.ToUpperInvariant(c).ToString(),
            });
        }

        return name.ToString();
    }

    /// <summary>A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (22 characters).</summary>
    public static string NewClusterId() =>
        Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
