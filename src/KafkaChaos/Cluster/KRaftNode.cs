namespace KafkaChaos.Cluster;

/// <summary>
/// One node of a KRaft cluster as the tool starts it: its id, role and address, the server.properties it
/// is given, and the storage format it needs before its first start.
/// </summary>
/// <param name="NodeId">node.id: brokers 1..N as in ZooKeeper mode; controllers of their own from 101.</param>
/// <param name="Role">What <c>process.roles</c> says.</param>
/// <param name="Address">Its address on the run's network; every listener binds there.</param>
/// <param name="Settings">server.properties, key by key.</param>
/// <param name="FormatArguments">The arguments of <c>kafka-storage.sh</c>, from <c>format</c> on.</param>
public sealed record KRaftNode(int NodeId, KRaftRole Role, string Address, IReadOnlyDictionary<string, string> Settings, IReadOnlyList<string> FormatArguments)
{
    public bool IsBroker => Role is KRaftRole.Broker or KRaftRole.Combined;

    public bool IsVoter => Role is KRaftRole.Controller or KRaftRole.Combined;

    /// <summary>The ports it listens on, by listener name.</summary>
    public IReadOnlyDictionary<string, int> Ports => new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [KRaftConfig.BrokerListener] = IsBroker ? ZooKeeperBrokerConfig.ClientPort : 0,
        [KRaftConfig.ControllerListener] = IsVoter ? KRaftConfig.ControllerPort : 0,
    }.Where(p => p.Value > 0).ToDictionary(StringComparer.Ordinal);

    /// <summary>"broker-2" or "controller-101": its container's role name.</summary>
    public string Name => Role == KRaftRole.Controller ? $"controller-{NodeId}" : $"broker-{NodeId}";

    /// <summary>server.properties as written into the node's container.</summary>
    public string Render(KafkaVersion version) =>
        ZooKeeperBrokerConfig.Render($"{Name}, Kafka {version}, KRaft mode, process.roles={Settings["process.roles"]}", Settings);
}
