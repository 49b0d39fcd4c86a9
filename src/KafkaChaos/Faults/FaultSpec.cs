using KafkaChaos.Workload;

namespace KafkaChaos.Faults;

/// <summary>One fault of an experiment: which kind, its parameters, how long it lasts and when it fires.</summary>
public sealed record FaultSpec
{
    /// <summary>When a fault fires unless it says: 5 s into the workload, from a file and from <c>--fault-at</c> alike.</summary>
    public static readonly TimeSpan DefaultAt = TimeSpan.FromSeconds(5);

    /// <summary>How long a fault is held unless it says: 5 s, from a file and from <c>--fault-duration</c> alike.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(5);

    /// <summary>The faults aimed at a partition's leader, which aim at partition 0 unless told otherwise.</summary>
    public static IReadOnlySet<string> LeaderAimed { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        FaultKinds.KillLeader, FaultKinds.KillLeaderAhead, FaultKinds.IsolateLeader, FaultKinds.TruncateToHighWatermark,
    };

    /// <summary>A name from <see cref="FaultKinds.All"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The broker id (1..N) for broker faults; null picks one at random (net-*: see <see cref="AllBrokers"/>).</summary>
    public int? Broker { get; init; }

    /// <summary>The partition whose leader kill-leader and isolate-leader hit; null: partition 0 for those (<see cref="EffectivePartition"/>).</summary>
    public int? Partition { get; init; }

    /// <summary>Draw the partition at random from the run's seed instead (<c>partition: random</c>).</summary>
    public bool RandomPartition { get; init; }

    /// <summary>The partition a leader-aimed fault hits: the one given, else 0; null where the fault aims at none or draws one.</summary>
    public int? EffectivePartition => RandomPartition ? null : Partition ?? (LeaderAimed.Contains(Kind) ? 0 : null);

    /// <summary>net-delay and net-loss on every broker instead of one.</summary>
    public bool AllBrokers { get; init; }

    public int DelayMs { get; init; } = 100;
    public int JitterMs { get; init; }
    public double LossPercent { get; init; } = 10;

    /// <summary>Where restart-consumer kills the consumer.</summary>
    public CrashPoint CrashPoint { get; init; } = CrashPoint.BetweenProcessAndCommit;

    /// <summary>
    /// How long kill-leader-ahead keeps the followers from fetching before it kills the leader: long enough
    /// for the leader to acknowledge writes they never copied, shorter than replica.lag.time.max.ms so that
    /// they are still in the ISR, and so electable, when it dies.
    /// </summary>
    public TimeSpan Lag { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How many partitions add-partitions adds to the topic each time it fires.</summary>
    public int NewPartitions { get; init; } = 3;

    /// <summary>How long the fault stays before it is healed (restarts have nothing to heal).</summary>
    public TimeSpan Duration { get; init; } = DefaultDuration;

    public FaultTrigger When { get; init; } = new(DefaultAt);

    public string Describe() => Kind
        + (Broker is { } b ? $" broker {b}" : "")
        + (EffectivePartition is { } p ? $" partition {p}" : RandomPartition ? " partition random" : "")
        + (FaultKinds.All.Contains(Kind) ? FaultKinds.Of(Kind).Parameters(this) : "")
        + (AllBrokers ? " on all brokers" : "")
        + $", {When}"
        + (!FaultKinds.All.Contains(Kind) || FaultKinds.HasDuration(Kind) ? $", for {Duration.TotalSeconds:0.###} s" : "");
}
