using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// Freezes a broker's container (a hung JVM, an endless GC pause) and thaws it at the heal. Verified by
/// the engine reporting it paused and the cluster dropping it once its ZooKeeper session expires.
/// </summary>
public sealed class BrokerPause(FaultContext context, BrokerNode broker)
    : BrokerFault(context)
{
    public override string Name => FaultKinds.PauseBroker;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var before = await Topology.TopologyAsync(Topic, cancellationToken);
        Record(FaultPhase.Start, broker.Target, $"freeze every process; before: {before}");
        if (await Control.PauseAsync(broker, cancellationToken) is { } refused)
        {
            Record(FaultPhase.NotApplied, broker.Target, $"the Docker engine could not freeze the container: {refused}");
            Log($"not applied: the Docker engine could not freeze {broker.Target}");
            return;
        }

        Applied = true;
        var (_, paused) = await Control.StateAsync(broker, cancellationToken);
        var (gone, after) = await WaitForTopologyAsync(t => t.Brokers.Count > 0 && !t.Brokers.Contains(broker.Id), EffectTimeout, cancellationToken);
        Verify(paused && gone, broker.Target, $"container paused; broker {broker.Id} dropped from the cluster when its session expired; after: {after}",
            $"paused={paused}; broker {broker.Id} still registered after {EffectTimeout.TotalSeconds:0} s: {after}");
    }

    protected override async Task<string> UndoAsync(CancellationToken cancellationToken)
    {
        await Control.UnpauseAsync(broker, cancellationToken);
        return broker.Target;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.PauseBroker;

        public override IReadOnlyList<string> Options => [FaultOptionKeys.Broker];

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new BrokerPause(context, context.Broker(fault));
    }
}
