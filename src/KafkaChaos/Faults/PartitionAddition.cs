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
public sealed class PartitionAddition(KafkaCluster cluster, string topic, int added, JournalWriter journal, TimeProvider time, Action<string> log)
    : Fault(journal, time, log)
{
    private static readonly TimeSpan EffectTimeout = TimeSpan.FromSeconds(60);

    public override string Name => FaultKinds.AddPartitions;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var before = await cluster.TopologyAsync(topic, cancellationToken);
        var total = before.Partitions.Count + added;
        Record(FaultPhase.Start, topic, $"raise {topic} from {before.Partitions.Count} to {total} partitions; before: {before}");
        Log($"raise {topic} from {before.Partitions.Count} to {total} partitions");
        await cluster.AddPartitionsAsync(topic, total, cancellationToken);
        var (led, after) = await ClusterRecovery.PollAsync(cluster, topic, t => t.Partitions.Count == total && t.Partitions.All(p => p.Leader >= 0),
            EffectTimeout, Time, cancellationToken);
        Verified = led;
        Record(led ? FaultPhase.Verified : FaultPhase.NotApplied, topic,
            led ? $"{total} partitions, each with a leader; after: {after}" : $"{topic} did not have {total} partitions with leaders within {EffectTimeout.TotalSeconds:0} s: {after}");
        Log(led ? $"{topic} has {total} partitions" : $"not applied: {topic} did not reach {total} led partitions");
    }

    public override Task HealAsync(CancellationToken cancellationToken)
    {
        if (Verified)
        {
            Record(FaultPhase.End, topic, "partitions stay; nothing to heal");
        }

        return Task.CompletedTask;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.AddPartitions;

        public override bool HasDuration => false;

        public override string? Problem(FaultSpec fault, int brokers, int partitions, int replicationFactor) =>
            fault.NewPartitions is < 1 or > 1000 ? $"new_partitions {fault.NewPartitions} must be 1..1000" : null;

        public override string Parameters(FaultSpec fault) => $" +{fault.NewPartitions}";

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new PartitionAddition(context.RequireCluster(Name), context.Topic, fault.NewPartitions, context.Journal, context.Time, context.Log);
    }
}
