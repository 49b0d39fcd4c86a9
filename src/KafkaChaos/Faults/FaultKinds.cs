namespace KafkaChaos.Faults;

/// <summary>The fault names experiments use, and the one <see cref="FaultKind"/> behind each.</summary>
public static class FaultKinds
{
    public const string KillLeader = "kill-leader";
    public const string KillLeaderAhead = "kill-leader-ahead";
    public const string TruncateToHighWatermark = "truncate-to-high-watermark";
    public const string KillBroker = "kill-broker";
    public const string KillController = "kill-controller";
    public const string KillCoordinator = "kill-coordinator";
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

    private static readonly FaultKind[] Kinds =
    [
        new LeaderKill.Kind(), new LeaderKillAhead.Kind(), new HighWatermarkTruncation.Kind(), new BrokerKill.Kind(), new ControllerKill.Kind(), new CoordinatorKill.Kind(), new BrokerRestart.Kind(),
        new BrokerPause.Kind(), new LeaderIsolation.Kind(), new BrokerIsolation.Kind(), new ReplicationCut.Kind(), new HalvesPartition.Kind(),
        new NetworkDelay.Kind(), new NetworkLoss.Kind(), new ConsumerRestart.Kind(), new ProducerRestart.Kind(), new PartitionAddition.Kind(),
    ];

    private static readonly Dictionary<string, FaultKind> ByName = Kinds.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public static IReadOnlyList<string> All { get; } = [.. Kinds.Select(k => k.Name)];

    /// <summary>The kind named <paramref name="name"/>; callers accept only names from <see cref="All"/>.</summary>
    public static FaultKind Of(string name) =>
        ByName.TryGetValue(name, out var kind) ? kind : throw new ArgumentOutOfRangeException(nameof(name), name, $"not one of {string.Join(", ", All)}");

    /// <summary>Restarts and added partitions are instantaneous; every other fault lasts until its heal.</summary>
    public static bool HasDuration(string kind) => Of(kind).HasDuration;

    /// <summary>Faults that act on clients only: the ones that apply to a cluster this tool did not start.</summary>
    public static bool IsClientSide(string kind) => Of(kind).IsClientSide;

    /// <summary>
    /// Why <paramref name="fault"/> cannot run on this cluster and topic, or null when it can: the checks
    /// every fault gets (its target in range, its timing), then its kind's own. Checked before anything starts.
    /// </summary>
    public static string? Problem(FaultSpec fault, int brokers, int partitions, int replicationFactor)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (!ByName.TryGetValue(fault.Kind, out var kind))
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

        if (kind.Problem(fault, brokers, partitions, replicationFactor) is { } own)
        {
            return own;
        }

        var when = fault.When;
        if (when.Count > 1 && when.Every is null && when.WindowEnd is null)
        {
            return $"count {when.Count} needs every (an interval) or window (a span to fire in at random); alone, the fault fires once";
        }

        if (fault.Duration <= TimeSpan.Zero || when.At < TimeSpan.Zero || when.Count is < 1 or > 1000
            || when.Every is { } every && every <= TimeSpan.Zero || when.WindowEnd is { } end && end <= when.At)
        {
            return "duration and interval must be positive, start times not negative, a random window must end after it starts, and count must be 1..1000";
        }

        return null;
    }

    /// <summary>
    /// The topic's partitions once every add-partitions application is done: what the drain and the final
    /// read cover. One that was not applied leaves partitions unread there, and the cell invalid anyway.
    /// </summary>
    public static int PartitionsAtEnd(int partitions, IEnumerable<FaultSpec> faults) =>
        partitions + faults.Where(f => f.Kind == AddPartitions).Sum(f => f.NewPartitions * f.When.Count);

    /// <summary>Builds one application of <paramref name="fault"/>; random choices come from the context's seeded random.</summary>
    public static Fault Create(FaultSpec fault, FaultContext context)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentNullException.ThrowIfNull(context);
        return Of(fault.Kind).Create(fault, context);
    }
}
