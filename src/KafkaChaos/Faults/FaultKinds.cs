using KafkaChaos.Cluster;
using KafkaChaos.Journal;
using KafkaChaos.Workload;

namespace KafkaChaos.Faults;

/// <summary>The fault names experiments use, what each needs of the cluster, and how each is built.</summary>
public static class FaultKinds
{
    public const string KillLeader = "kill-leader";
    public const string KillLeaderAhead = "kill-leader-ahead";
    public const string TruncateToHighWatermark = "truncate-to-high-watermark";
    public const string KillBroker = "kill-broker";
    public const string RestartBroker = "restart-broker";
    public const string PauseBroker = "pause-broker";
    public const string IsolateLeader = "isolate-leader";
    public const string IsolateBroker = "isolate-broker";
    public const string CutReplication = "cut-replication";
    public const string PartitionHalves = "partition-halves";
    public const string NetDelay = "net-delay";
    public const string NetLoss = "net-loss";
    public const string RestartConsumer = "restart-consumer";
    public const string RestartProducer = "restart-producer";
    public const string AddPartitions = "add-partitions";

    public static IReadOnlyList<string> All { get; } =
    [
        KillLeader, KillLeaderAhead, TruncateToHighWatermark, KillBroker, RestartBroker, PauseBroker, IsolateLeader, IsolateBroker, CutReplication, PartitionHalves, NetDelay, NetLoss,
        RestartConsumer, RestartProducer, AddPartitions,
    ];

    /// <summary>Restarts are instantaneous; every other fault lasts until its heal.</summary>
    public static bool HasDuration(string kind) => kind is not (RestartConsumer or RestartProducer or AddPartitions);

    /// <summary>
    /// Why <paramref name="fault"/> cannot run on this cluster and topic, or null when it can. Checked
    /// before anything starts.
    /// </summary>
    public static string? Problem(FaultSpec fault, int brokers, int partitions, int replicationFactor)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (!All.Contains(fault.Kind))
        {
            return $"unknown fault '{fault.Kind}'; expected one of {string.Join(", ", All)}";
        }

        if (fault.Broker is { } broker && (broker < 1 || broker > brokers))
        {
            return $"broker {broker} is out of range: brokers are 1..{brokers}";
        }

        if (fault.Partition is { } partition && (partition < 0 || partition >= partitions))
        {
            return $"partition {partition} is out of range: partitions are 0..{partitions - 1}";
        }

        if (fault.Kind is TruncateToHighWatermark && replicationFactor < 3)
        {
            return $"{fault.Kind} needs a replication factor of at least 3: two followers, one to lead after the first kill and one to lead after the second (it is {replicationFactor})";
        }

        if (fault.Kind is KillLeader or KillLeaderAhead or IsolateLeader && replicationFactor < 2)
        {
            return $"{fault.Kind} needs a replication factor of at least 2, so that another replica can lead (it is {replicationFactor})";
        }

        if (fault.Kind is IsolateLeader or PartitionHalves or CutReplication && brokers < 2)
        {
            return $"{fault.Kind} needs at least 2 brokers (there are {brokers})";
        }

        if (fault.Kind == NetDelay && (fault.DelayMs is < 1 or > 60_000 || fault.JitterMs < 0 || fault.JitterMs > fault.DelayMs))
        {
            return $"delay {fault.DelayMs} ms with jitter {fault.JitterMs} ms: delay must be 1..60000 ms and jitter 0..delay";
        }

        if (fault.Kind == NetLoss && !(fault.LossPercent is > 0 and <= 100))
        {
            return $"loss {fault.LossPercent}% must be above 0 and at most 100";
        }

        if (fault.Kind == KillLeaderAhead && (fault.Lag <= TimeSpan.Zero || fault.Lag > TimeSpan.FromSeconds(60)))
        {
            return $"lag {fault.Lag.TotalSeconds:0.###} s must be above 0 and at most 60 s";
        }

        if (fault.Kind == AddPartitions && fault.NewPartitions is < 1 or > 1000)
        {
            return $"new_partitions {fault.NewPartitions} must be 1..1000";
        }

        var when = fault.When;
        if (fault.Duration <= TimeSpan.Zero || when.At < TimeSpan.Zero || when.Count is < 1 or > 1000
            || when.Every is { } every && every <= TimeSpan.Zero || when.WindowEnd is { } end && end <= when.At)
        {
            return "duration and interval must be positive, start times not negative, a random window must end after it starts, and count must be 1..1000";
        }

        return null;
    }

    /// <summary>Faults that act on clients only: the ones that apply to a cluster this tool did not start.</summary>
    public static bool IsClientSide(string kind) => kind is RestartConsumer or RestartProducer;

    /// <summary>
    /// The topic's partitions once every add-partitions application is done: what the drain and the final
    /// read cover. One that was not applied leaves partitions unread there, and the cell invalid anyway.
    /// </summary>
    public static int PartitionsAtEnd(int partitions, IEnumerable<FaultSpec> faults) =>
        partitions + faults.Where(f => f.Kind == AddPartitions).Sum(f => f.NewPartitions * f.When.Count);

    /// <summary>Builds one application of <paramref name="fault"/>; random choices come from <paramref name="random"/>.</summary>
    public static Fault Create(FaultSpec fault, KafkaCluster? cluster, string topic, int partitions, ConsumerGroup? group, ProducerGroup? producers,
        Random random, JournalWriter journal, TimeProvider time, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentNullException.ThrowIfNull(random);
        if (cluster is null && !IsClientSide(fault.Kind))
        {
            throw new InvalidOperationException($"{fault.Kind} needs a cluster started by this tool");
        }

        var partition = fault.Partition ?? random.Next(partitions);
        BrokerNode Broker() => fault.Broker is { } id ? cluster!.Broker(id) : cluster!.Brokers[random.Next(cluster.Brokers.Count)];
        IReadOnlyList<BrokerNode> Brokers() => fault.AllBrokers ? cluster!.Brokers : [Broker()];
        return fault.Kind switch
        {
            KillLeader => new LeaderKill(cluster!, topic, partition, journal, time, log),
            KillLeaderAhead => new LeaderKillAhead(cluster!, topic, partition, fault.Lag, journal, time, log),
            TruncateToHighWatermark => new HighWatermarkTruncation(cluster!, topic, partition, journal, time, log),
            KillBroker => new BrokerKill(cluster!, topic, Broker(), journal, time, log),
            RestartBroker => new BrokerRestart(cluster!, topic, Broker(), journal, time, log),
            PauseBroker => new BrokerPause(cluster!, topic, Broker(), journal, time, log),
            IsolateLeader => new LeaderIsolation(cluster!, topic, partition, journal, time, log),
            IsolateBroker => new BrokerIsolation(cluster!, topic, Broker(), journal, time, log),
            CutReplication => new ReplicationCut(cluster!, topic, Broker(), journal, time, log),
            PartitionHalves => new HalvesPartition(cluster!, topic, journal, time, log),
            NetDelay => new NetworkDelay(cluster!, topic, Brokers(), fault.DelayMs, fault.JitterMs, journal, time, log),
            NetLoss => new NetworkLoss(cluster!, topic, Brokers(), fault.LossPercent, journal, time, log),
            AddPartitions => new PartitionAddition(cluster!, topic, fault.NewPartitions, journal, time, log),
            RestartConsumer => new ConsumerRestart(group ?? throw new InvalidOperationException($"{fault.Kind} needs the run's consumers"), fault.CrashPoint, journal, time, log),
            RestartProducer => new ProducerRestart(producers is { } p ? p.Lanes[random.Next(p.Lanes.Count)] : throw new InvalidOperationException($"{fault.Kind} needs the run's producers"),
                journal, time, log),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault.Kind, "unknown fault"),
        };
    }
}
