using KafkaChaos.Workload;

namespace KafkaChaos.Faults;

/// <summary>One fault of an experiment: which kind, its parameters, how long it lasts and when it fires.</summary>
public sealed record FaultSpec
{
    /// <summary>A name from <see cref="FaultKinds.All"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The broker id (1..N) for broker faults; null picks one at random (net-*: see <see cref="AllBrokers"/>).</summary>
    public int? Broker { get; init; }

    /// <summary>The partition whose leader kill-leader and isolate-leader hit; null picks one at random.</summary>
    public int? Partition { get; init; }

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
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public FaultTrigger When { get; init; } = new(TimeSpan.FromSeconds(5));

    public string Describe() => Kind
        + (Broker is { } b ? $" broker {b}" : "")
        + (Partition is { } p ? $" partition {p}" : "")
        + (FaultKinds.All.Contains(Kind) ? FaultKinds.Of(Kind).Parameters(this) : "")
        + (AllBrokers ? " on all brokers" : "")
        + $", {When}"
        + (!FaultKinds.All.Contains(Kind) || FaultKinds.HasDuration(Kind) ? $", for {Duration.TotalSeconds:0.###} s" : "");
}
