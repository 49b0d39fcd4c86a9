using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// Cuts one broker off from the other brokers while it keeps ZooKeeper and its clients: it stays
/// registered and alive, but the replicas it follows stop fetching and fall out of the ISR. This is how
/// a live replica ends up lagging outside the ISR — the one an unclean election promotes — without the
/// broker's ZooKeeper session expiring on the way. Verified by the broker being out of the ISR of every
/// partition it follows.
/// </summary>
public sealed class ReplicationCut(FaultContext context, BrokerNode broker)
    : BrokerFault(context)
{
    public override string Name => FaultKinds.CutReplication;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var peers = Control.Brokers.Where(b => b.Id != broker.Id).Select(b => b.IpAddress).ToArray();
        var before = await Topology.TopologyAsync(Topic, cancellationToken);
        Record(FaultPhase.Start, broker.Target, $"drop traffic to and from the other brokers ({string.Join(", ", peers)}); ZooKeeper and clients still reach it; before: {before}");
        Applied = true;
        await NetworkRules.DropPeersAsync(Network, broker, peers, cancellationToken);
        var (lagging, after) = await WaitForTopologyAsync(t => t.Brokers.Contains(broker.Id) && OutOfEveryIsrItFollows(t), EffectTimeout, cancellationToken);
        Verify(lagging, broker.Target, $"broker {broker.Id} still registered and out of the ISR of every partition it follows; after: {after}",
            $"broker {broker.Id} still in the ISR of a partition it follows, or no longer registered, after {EffectTimeout.TotalSeconds:0} s: {after}");
    }

    protected override async Task<string> UndoAsync(CancellationToken cancellationToken)
    {
        await NetworkRules.ClearAsync(Network, broker, cancellationToken);
        return broker.Target;
    }

    private bool OutOfEveryIsrItFollows(ClusterTopology topology) =>
        topology.Partitions.Where(p => p.Replicas.Contains(broker.Id) && p.Leader != broker.Id).All(p => !p.InSyncReplicas.Contains(broker.Id));

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.CutReplication;

        public override IReadOnlyList<string> Options => [FaultOptionKeys.Broker];

        public override string? Problem(FaultSpec fault, int brokers, int partitions, int replicationFactor) =>
            NeedsTwoBrokers(brokers);

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new ReplicationCut(context, context.Broker(fault));
    }
}
