using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// Stops a broker gracefully (SIGTERM: a controlled shutdown that hands leadership over), and starts it
/// again at the heal; verified by the broker leaving the metadata.
/// </summary>
public sealed class BrokerRestart(FaultContext context, BrokerNode broker)
    : BrokerFault(context)
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public override string Name => FaultKinds.RestartBroker;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var before = await Topology.TopologyAsync(Topic, cancellationToken);
        Record(FaultPhase.Start, broker.Target, $"graceful stop (SIGTERM, SIGKILL after {Grace.TotalSeconds:0} s); before: {before}");
        await Control.StopAsync(broker, Grace, cancellationToken);
        Applied = true;
        var state = await Control.StateAsync(broker, cancellationToken);
        var (gone, after) = await WaitForTopologyAsync(t => t.Brokers.Count > 0 && !t.Brokers.Contains(broker.Id), EffectTimeout, cancellationToken);
        Verify(gone && !state.Running, broker.Target, $"broker {broker.Id} stopped and left the cluster; after: {after}",
            $"broker {broker.Id} still running or registered after {EffectTimeout.TotalSeconds:0} s: {after}");
    }

    protected override async Task<string> UndoAsync(CancellationToken cancellationToken)
    {
        await Control.StartAsync(broker, cancellationToken);
        return broker.Target;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.RestartBroker;

        public override IReadOnlyList<string> Options => [FaultOptionKeys.Broker];

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new BrokerRestart(context, context.Broker(fault));
    }
}
