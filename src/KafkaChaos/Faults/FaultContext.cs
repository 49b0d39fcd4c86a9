using KafkaChaos.Cluster;
using KafkaChaos.Journal;
using KafkaChaos.Workload;

namespace KafkaChaos.Faults;

/// <summary>
/// What a fault acts on and records to: one object instead of the same eight parameters in every fault's
/// constructor. Random choices of target (a partition, a broker, a producer lane) come from
/// <see cref="Random"/>, which the nemesis seeds, so that a run replays. <see cref="Cluster"/> is null where
/// only client faults apply (<c>--bootstrap</c>); the clients are what the client faults act on, not the
/// workload's own types, and null where a fault runs without a workload.
/// </summary>
public sealed record FaultContext(
    ClusterAccess? Cluster,
    string Topic,
    int Partitions,
    IRestartableConsumers? Consumers,
    IReadOnlyList<IRestartableProducer>? Producers,
    Random Random,
    JournalWriter Journal,
    TimeProvider Time,
    Action<string> Log)
{
    /// <summary>The run's consumer group, whose coordinator kill-coordinator aims at; null where there is none.</summary>
    public string? ConsumerGroupId { get; init; }

    /// <summary>The brokers' Kafka version, for the requests a fault sends them itself (FindCoordinator); null where unknown.</summary>
    public KafkaVersion? Version { get; init; }

    /// <summary>The cluster, which every broker and network fault needs.</summary>
    public ClusterAccess RequireCluster(string kind) =>
        Cluster ?? throw new InvalidOperationException($"{kind} needs a cluster whose brokers this tool can reach (one it started or attached to)");

    /// <summary>The partition a fault names (partition 0 for a leader-aimed one that names none), or one at random from the seed.</summary>
    public int Partition(FaultSpec fault) => fault.EffectivePartition ?? Random.Next(Partitions);

    /// <summary>The broker a fault names, or one at random.</summary>
    public BrokerNode Broker(FaultSpec fault)
    {
        var brokers = RequireCluster(fault.Kind).Brokers;
        return fault.Broker is { } id ? brokers.Broker(id) : brokers.Brokers[Random.Next(brokers.Brokers.Count)];
    }

    /// <summary>Every broker for a fault on all brokers, else the one it names or one at random.</summary>
    public IReadOnlyList<BrokerNode> Brokers(FaultSpec fault) => fault.AllBrokers ? RequireCluster(fault.Kind).Brokers.Brokers : [Broker(fault)];
}
