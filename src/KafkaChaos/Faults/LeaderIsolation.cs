using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// Cuts the leader of a partition off from the other brokers and ZooKeeper while clients can still reach
/// it: the classic split-brain window, in which the old leader may accept writes the new one never sees.
/// Verified by another broker being elected leader.
/// </summary>
public sealed class LeaderIsolation(FaultContext context, int partition)
    : BrokerFault(context)
{
    private BrokerNode? _isolated;

    public override string Name => FaultKinds.IsolateLeader;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var (leader, before) = await LeaderAsync(partition, cancellationToken);
        if (leader is null)
        {
            return;
        }

        var peers = Control.Brokers.Where(b => b.Id != leader.Id).Select(b => b.IpAddress).Concat(Network.CoordinatorAddresses).ToArray();
        Record(FaultPhase.Start, leader.Target, $"drop traffic to and from {string.Join(", ", peers)} (brokers and ZooKeeper); clients still reach it; before: {before}");
        _isolated = leader;
        Applied = true;
        await NetworkRules.DropPeersAsync(Network, leader, peers, cancellationToken);
        var (moved, after) = await WaitForTopologyAsync(t => t.Partition(partition)?.Leader is { } l && l >= 0 && l != leader.Id, EffectTimeout, cancellationToken);
        Verify(moved, leader.Target, $"{Topic}/{partition} elected leader {after.Partition(partition)?.Leader} while broker {leader.Id} is cut off; after: {after}",
            $"no new leader for {Topic}/{partition} within {EffectTimeout.TotalSeconds:0} s: {after}");
    }

    protected override async Task<string> UndoAsync(CancellationToken cancellationToken)
    {
        await NetworkRules.ClearAsync(Network, _isolated!, cancellationToken);
        return _isolated!.Target;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.IsolateLeader;

        public override IReadOnlyList<string> Options => [FaultOptionKeys.Partition];

        public override string? Problem(FaultSpec fault, int brokers, int partitions, int replicationFactor) =>
            NeedsAnotherReplica(replicationFactor) ?? NeedsTwoBrokers(brokers);

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new LeaderIsolation(context, context.Partition(fault));
    }
}
