using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// Splits the brokers into two sides that cannot reach each other; ZooKeeper, or a KRaft cluster's
/// controllers of their own, stay with the first side (brokers 1..⌈N/2⌉), which in combined KRaft mode is
/// itself a majority of the voters. The journal says which side holds the majority. Verified by the
/// second side dropping out of the cluster once its ZooKeeper sessions expire or the quorum fences it.
/// Clients still reach every broker.
/// </summary>
public sealed class HalvesPartition(FaultContext context)
    : BrokerFault(context)
{
    public override string Name => FaultKinds.PartitionHalves;

    private IReadOnlyList<BrokerNode> SideA => Control.Brokers.Take((Control.Brokers.Count + 1) / 2).ToArray();
    private IReadOnlyList<BrokerNode> SideB => Control.Brokers.Skip((Control.Brokers.Count + 1) / 2).ToArray();
    private string Target => $"[{string.Join(',', SideA.Select(b => b.Id))}{Majority}] | [{string.Join(',', SideB.Select(b => b.Id))}]";

    /// <summary>What the first side holds besides its brokers: ZooKeeper, the controllers, or (combined KRaft) most of the voters.</summary>
    private string Majority =>
        Control.Controllers.Count > 0 ? $"+controllers {string.Join(',', Control.Controllers.Select(c => c.Id))}, the whole quorum"
        : Network.CoordinatorAddresses.Count > 0 ? "+zookeeper"
        : $", {SideA.Count} of {Control.Brokers.Count} KRaft voters: the quorum's majority";

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var before = await Topology.TopologyAsync(Topic, cancellationToken);
        Record(FaultPhase.Start, Target, $"drop traffic between the sides; before: {before}");
        Applied = true;
        foreach (var broker in SideA)
        {
            await NetworkRules.DropPeersAsync(Network, broker, SideB.Select(b => b.IpAddress), cancellationToken);
        }

        foreach (var broker in SideB)
        {
            await NetworkRules.DropPeersAsync(Network, broker, SideA.Select(b => b.IpAddress).Concat(Network.CoordinatorAddresses), cancellationToken);
        }

        var cutOff = SideB.Select(b => b.Id).ToHashSet();
        var (split, after) = await WaitForTopologyAsync(t => t.Brokers.Count > 0 && !t.Brokers.Any(cutOff.Contains), EffectTimeout, cancellationToken);
        Verify(split, Target, $"brokers {string.Join(',', cutOff)} lost {(Network.CoordinatorAddresses.Count > 0 && Control.Controllers.Count == 0 ? "ZooKeeper" : "the quorum")} and left the cluster; after: {after}",
            $"the far side was still registered after {EffectTimeout.TotalSeconds:0} s: {after}");
    }

    protected override async Task<string> UndoAsync(CancellationToken cancellationToken)
    {
        foreach (var broker in Control.Brokers)
        {
            await NetworkRules.ClearAsync(Network, broker, cancellationToken);
        }

        return Target;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.PartitionHalves;

        public override string? Problem(FaultSpec fault, int brokers, int partitions, int replicationFactor) =>
            NeedsTwoBrokers(brokers);

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new HalvesPartition(context);
    }
}
