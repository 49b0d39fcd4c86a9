using KafkaChaos.Cluster;

namespace KafkaChaos.Faults;

/// <summary>
/// SIGKILLs the broker that leads a partition, found from live metadata at the moment of the fault,
/// then confirms that leadership moved. Healing starts the broker again.
/// </summary>
public sealed class LeaderKill(FaultContext context, int partition)
    : RoleKill(context)
{
    public const string FaultName = FaultKinds.KillLeader;

    public override string Name => FaultName;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var (broker, before) = await LeaderAsync(partition, cancellationToken);
        if (broker is null)
        {
            return;
        }

        await KillAsync(broker, $"leader of {Topic}/{partition}", $"SIGKILL leader of {Topic}/{partition}; before: {before}", cancellationToken);
        bool Moved(ClusterTopology t) => t.Partition(partition)?.Leader is { } l && l >= 0 && l != broker.Id;

        // A leader alone in its ISR (another fault cut its followers off) leaves no replica a clean election may
        // pick: the partition goes offline, which is what killing it does, not a fault that failed to happen.
        var alone = before.Partition(partition)?.InSyncReplicas is [var only] && only == broker.Id;
        var (settled, after) = await WaitForTopologyAsync(t => Moved(t) || (alone && !t.Brokers.Contains(broker.Id)), EffectTimeout, cancellationToken);
        if (settled && !Moved(after))
        {
            (_, after) = await WaitForTopologyAsync(Moved, TimeSpan.FromSeconds(5), cancellationToken); // an unclean election, if allowed, follows at once
        }

        var moved = Moved(after);
        Verify(settled, broker.Target,
            moved ? $"leader of {Topic}/{partition} moved {broker.Id} -> {after.Partition(partition)?.Leader}; after: {after}"
                : $"{Topic}/{partition} is offline: broker {broker.Id} was its only in-sync replica, and no other replica may lead without an unclean election; after: {after}",
            $"leader of {Topic}/{partition} did not move within {EffectTimeout.TotalSeconds:0} s: {after}");
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.KillLeader;

        public override IReadOnlyList<string> Options => [FaultOptionKeys.Partition];

        public override string? Problem(FaultSpec fault, int brokers, int partitions, int replicationFactor) =>
            NeedsAnotherReplica(replicationFactor);

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new LeaderKill(context, context.Partition(fault));
    }
}
