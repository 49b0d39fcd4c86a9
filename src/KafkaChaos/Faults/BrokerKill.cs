using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>SIGKILLs a broker (named or random); verified by the broker leaving the cluster's metadata.</summary>
public sealed class BrokerKill(FaultContext context, BrokerNode broker)
    : BrokerFault(context)
{
    public override string Name => FaultKinds.KillBroker;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var before = await Topology.TopologyAsync(Topic, cancellationToken);
        Record(FaultPhase.Start, broker.Target, $"SIGKILL; before: {before}");
        await Control.KillAsync(broker, "KILL", cancellationToken);
        Applied = true;
        var (gone, after) = await WaitForTopologyAsync(t => t.Brokers.Count > 0 && !t.Brokers.Contains(broker.Id), EffectTimeout, cancellationToken);
        Verify(gone, broker.Target, $"broker {broker.Id} left the cluster; after: {after}",
            $"broker {broker.Id} was still registered after {EffectTimeout.TotalSeconds:0} s: {after}");
    }

    protected override async Task<string> UndoAsync(CancellationToken cancellationToken)
    {
        await Control.StartAsync(broker, cancellationToken);
        return broker.Target;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.KillBroker;

        public override IReadOnlyList<string> Options => [FaultOptionKeys.Broker];

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new BrokerKill(context, context.Broker(fault));
    }
}
