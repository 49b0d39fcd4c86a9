using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>Drops all of a broker's traffic (peers, ZooKeeper, clients); verified by it leaving the metadata.</summary>
public sealed class BrokerIsolation(FaultContext context, BrokerNode broker)
    : BrokerFault(context)
{
    public override string Name => FaultKinds.IsolateBroker;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var before = await Topology.TopologyAsync(Topic, cancellationToken);
        Record(FaultPhase.Start, broker.Target, $"drop all traffic on its interface; before: {before}");
        Applied = true;
        await NetworkRules.DropAllAsync(Network, broker, cancellationToken);
        var (gone, after) = await WaitForTopologyAsync(t => t.Brokers.Count > 0 && !t.Brokers.Contains(broker.Id), EffectTimeout, cancellationToken);
        Verify(gone, broker.Target, $"broker {broker.Id} unreachable and dropped from the cluster; after: {after}",
            $"broker {broker.Id} still registered after {EffectTimeout.TotalSeconds:0} s: {after}");
    }

    protected override async Task<string> UndoAsync(CancellationToken cancellationToken)
    {
        await NetworkRules.ClearAsync(Network, broker, cancellationToken);
        return broker.Target;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.IsolateBroker;

        public override IReadOnlyList<string> Options => [FaultOptionKeys.Broker];

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new BrokerIsolation(context, context.Broker(fault));
    }
}
