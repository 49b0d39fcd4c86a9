using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// Adds partitions to the topic while the workload runs. Producers that refresh their metadata write to
/// them at once; the group is assigned them only at its next rebalance, and with no committed offset it
/// starts them where auto.offset.reset says: at the end (latest) skips what was written before, which the
/// checker shows as never processed. Verified by the new partitions having leaders.
/// </summary>
/// <remarks>Partitions cannot be removed, so there is nothing to heal; the drain and the final read cover them.</remarks>
public sealed class PartitionAddition(FaultContext context, int added) : Fault(context)
{
    private readonly ClusterAccess _cluster = context.RequireCluster(FaultKinds.AddPartitions);
    private readonly string _topic = context.Topic;

    private static readonly TimeSpan EffectTimeout = TimeSpan.FromSeconds(60);

    public override string Name => FaultKinds.AddPartitions;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var before = await _cluster.Topology.TopologyAsync(_topic, cancellationToken);
        var total = before.Partitions.Count + added;
        Record(FaultPhase.Start, _topic, $"raise {_topic} from {before.Partitions.Count} to {total} partitions; before: {before}");
        Log($"raise {_topic} from {before.Partitions.Count} to {total} partitions");
        await _cluster.Topics.AddPartitionsAsync(_topic, total, cancellationToken);
        var (led, after) = await ClusterRecovery.PollAsync(_cluster.Topology, _topic, t => t.Partitions.Count == total && t.Partitions.All(p => p.Leader >= 0),
            EffectTimeout, Time, cancellationToken);
        Verified = led;
        Record(led ? FaultPhase.Verified : FaultPhase.NotApplied, _topic,
            led ? $"{total} partitions, each with a leader; after: {after}" : $"{_topic} did not have {total} partitions with leaders within {EffectTimeout.TotalSeconds:0} s: {after}");
        Log(led ? $"{_topic} has {total} partitions" : $"not applied: {_topic} did not reach {total} led partitions");
    }

    public override Task HealAsync(CancellationToken cancellationToken)
    {
        if (Verified)
        {
            Record(FaultPhase.End, _topic, "partitions stay; nothing to heal");
        }

        return Task.CompletedTask;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.AddPartitions;

        public override IReadOnlyList<string> Options => [FaultOptionKeys.NewPartitions];

        public override bool HasDuration => false;

        public override string? Problem(FaultSpec fault, int brokers, int partitions, int replicationFactor) =>
            fault.NewPartitions is < 1 or > 1000 ? $"new_partitions {fault.NewPartitions} must be 1..1000" : null;

        public override string Parameters(FaultSpec fault) => $" +{fault.NewPartitions}";

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new PartitionAddition(context, fault.NewPartitions);
    }
}
