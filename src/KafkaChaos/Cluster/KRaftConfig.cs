using System.Globalization;

namespace KafkaChaos.Cluster;

/// <summary>
/// The nodes of a KRaft cluster and what each is given: server.properties and the storage format, chosen by
/// the Kafka version, following Kafka's KRaft operations documentation ("Configuration", "Provisioning
/// Nodes", "Static versus Dynamic KRaft Quorums").
/// </summary>
/// <remarks>
/// <para>Two version families differ. From 3.3 to 3.8 the quorum is static: every node names every voter in
/// <c>controller.quorum.voters</c> (<c>id@host:port</c>), and <c>kafka-storage.sh format</c> takes only the
/// cluster id. From 3.9 (KIP-853) the quorum is dynamic: nodes find it through
/// <c>controller.quorum.bootstrap.servers</c>, <c>controller.quorum.voters</c> must not be set, and the
/// voters are written once, by formatting each controller with <c>--standalone</c> (a single voter) or
/// <c>--initial-controllers id@host:port:directory-id,...</c> (the same string on every controller);
/// brokers are formatted with no such flag.</para>
/// <para>Every listener binds to the node's own address, as the documentation's examples do, so that the
/// controller endpoint a node derives from <c>listeners</c> is one the others can reach. Only the broker
/// listener is advertised: before 3.9 a node with the broker role must not advertise a controller listener.</para>
/// </remarks>
public static class KRaftConfig
{
    public const string BrokerListener = "PLAINTEXT";
    public const string ControllerListener = "CONTROLLER";
    public const int ControllerPort = 9093;

    /// <summary>Node ids of controllers of their own start here, apart from the brokers' 1..N.</summary>
    public const int FirstControllerId = 101;

    /// <summary>Where server.properties is in each node's container.</summary>
    public const string ConfigPath = ZooKeeperBrokerConfig.ConfigDirectory + "/server.properties";

    /// <summary>Settings the tool writes itself in KRaft mode: a cell may not set them, or the nodes would not find each other.</summary>
    public static IReadOnlyList<string> OwnedSettings { get; } =
    [
        "process.roles", "node.id", "controller.quorum.voters", "controller.quorum.bootstrap.servers", "controller.listener.names",
        "listeners", "advertised.listeners", "listener.security.protocol.map", "inter.broker.listener.name",
    ];

    /// <summary>Why <paramref name="key"/> cannot be set on a cluster in <paramref name="mode"/>, or null.</summary>
    public static string? SettingProblem(string key, ClusterMode mode)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (mode == ClusterMode.KRaft)
        {
            if (key.StartsWith("zookeeper.", StringComparison.Ordinal) || key is "broker.id" or "inter.broker.protocol.version")
            {
                return $"{key} is a ZooKeeper-mode setting, and this cluster runs in KRaft mode (its metadata version is set by the storage format)";
            }

            if (OwnedSettings.Contains(key))
            {
                return $"{key} is written by the tool in KRaft mode, from the cluster's nodes and listeners";
            }

            return null;
        }

        return key is "process.roles" or "node.id" or "metadata.log.dir" || key.StartsWith("controller.quorum.", StringComparison.Ordinal) || key == "controller.listener.names"
            ? $"{key} is a KRaft setting, and this cluster runs in ZooKeeper mode (cluster.mode: kraft, on Kafka 3.3 or later, runs KRaft)"
            : null;
    }

    /// <summary>
    /// Every node of the cluster <paramref name="spec"/> describes, brokers first: ids, roles, addresses,
    /// server.properties and the format arguments.
    /// </summary>
    /// <param name="spec">A KRaft cluster spec (<see cref="ClusterSpec.Mode"/>), validated.</param>
    /// <param name="brokerAddress">The address of broker 1..N.</param>
    /// <param name="controllerAddress">The address of controller 1..n of their own (unused when combined).</param>
    /// <param name="clusterId">The cluster id every node is formatted with (<see cref="KafkaUuid"/>).</param>
    /// <param name="newDirectoryId">Draws a voter's directory id, for a dynamic quorum's <c>--initial-controllers</c>.</param>
    public static IReadOnlyList<KRaftNode> Plan(ClusterSpec spec, Func<int, string> brokerAddress, Func<int, string> controllerAddress,
        string clusterId, Func<string> newDirectoryId)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(brokerAddress);
        ArgumentNullException.ThrowIfNull(controllerAddress);
        ArgumentNullException.ThrowIfNull(newDirectoryId);
        if (spec.EffectiveMode != ClusterMode.KRaft)
        {
            throw new ArgumentException("a KRaft plan needs a KRaft cluster spec", nameof(spec));
        }

        var placement = spec.Controllers ?? ControllerPlacement.DefaultFor(spec.Brokers);
        var shape = new List<(int Id, KRaftRole Role, string Address)>();
        for (var broker = 1; broker <= spec.Brokers; broker++)
        {
            shape.Add((broker, placement.IsCombined ? KRaftRole.Combined : KRaftRole.Broker, brokerAddress(broker)));
        }

        for (var controller = 1; controller <= placement.SeparateControllers; controller++)
        {
            shape.Add((FirstControllerId + controller - 1, KRaftRole.Controller, controllerAddress(controller)));
        }

        var voters = shape.Where(n => n.Role != KRaftRole.Broker).Select(n => (n.Id, n.Address, DirectoryId: newDirectoryId())).ToArray();
        var dynamic = spec.Version.HasDynamicQuorum;
        return [.. shape.Select(node => new KRaftNode(node.Id, node.Role, node.Address,
            Settings(spec, node.Id, node.Role, node.Address, voters, dynamic),
            FormatArguments(clusterId, node.Role, voters, dynamic)))];
    }

    private static SortedDictionary<string, string> Settings(ClusterSpec spec, int nodeId, KRaftRole role, string address,
        IReadOnlyList<(int Id, string Address, string DirectoryId)> voters, bool dynamic)
    {
        var settings = ZooKeeperBrokerConfig.ExperimentDefaults(spec);
        var isBroker = role != KRaftRole.Controller;

        // "Process Roles": broker, controller, or both.
        settings["process.roles"] = role switch
        {
            KRaftRole.Broker => "broker",
            KRaftRole.Controller => "controller",
            _ => "broker,controller",
        };
        settings["node.id"] = nodeId.ToString(CultureInfo.InvariantCulture);

        // "Controllers": every node names the quorum, statically before 3.9, by bootstrap servers from 3.9.
        if (dynamic)
        {
            settings["controller.quorum.bootstrap.servers"] = string.Join(',', voters.Select(v => $"{v.Address}:{ControllerPort}"));
        }
        else
        {
            settings["controller.quorum.voters"] = string.Join(',', voters.Select(v => $"{v.Id.ToString(CultureInfo.InvariantCulture)}@{v.Address}:{ControllerPort}"));
        }

        settings["controller.listener.names"] = ControllerListener;
        var listeners = new List<string>();
        if (isBroker)
        {
            listeners.Add($"{BrokerListener}://{address}:{ZooKeeperBrokerConfig.ClientPort}");
        }

        if (role != KRaftRole.Broker)
        {
            listeners.Add($"{ControllerListener}://{address}:{ControllerPort}");
        }

        settings["listeners"] = string.Join(',', listeners);
        settings["listener.security.protocol.map"] = $"{BrokerListener}:PLAINTEXT,{ControllerListener}:PLAINTEXT";
        if (isBroker)
        {
            settings["advertised.listeners"] = $"{BrokerListener}://{address}:{ZooKeeperBrokerConfig.ClientPort}";
            settings["inter.broker.listener.name"] = BrokerListener;
        }

        // The cell's settings go to every node: in KRaft the controllers elect leaders, so unclean
        // election and min.insync.replicas are theirs to read too.
        foreach (var (key, value) in role == KRaftRole.Controller ? spec.BrokerConfig : spec.SettingsFor(nodeId))
        {
            if (!OwnedSettings.Contains(key))
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    private static string[] FormatArguments(string clusterId, KRaftRole role, IReadOnlyList<(int Id, string Address, string DirectoryId)> voters, bool dynamic)
    {
        // "Provisioning Nodes": every node formatted with the one cluster id; --ignore-formatted keeps a
        // restarted node's log directory as it is.
        var arguments = new List<string> { "format", "--cluster-id", clusterId, "--config", ConfigPath, "--ignore-formatted" };
        if (dynamic && role != KRaftRole.Broker)
        {
            // "Bootstrap a Standalone Controller" / "Bootstrap with Multiple Controllers".
            if (voters.Count == 1)
            {
                arguments.Add("--standalone");
            }
            else
            {
                arguments.Add("--initial-controllers");
                arguments.Add(string.Join(',', voters.Select(v => $"{v.Id.ToString(CultureInfo.InvariantCulture)}@{v.Address}:{ControllerPort}:{v.DirectoryId}")));
            }
        }

        return [.. arguments];
    }
}
