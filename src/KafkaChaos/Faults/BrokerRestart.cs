using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// Stops a broker gracefully (SIGTERM: a controlled shutdown that hands leadership over), and starts it
/// again at the heal; verified by the broker leaving the metadata.
/// </summary>
public sealed class BrokerRestart(KafkaCluster cluster, string topic, BrokerNode broker, JournalWriter journal, TimeProvider time, Action<string> log)
    : BrokerFault(cluster, topic, journal, time, log)
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public override string Name => FaultKinds.RestartBroker;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var before = await Cluster.TopologyAsync(Topic, cancellationToken);
        Record(FaultPhase.Start, broker.Target, $"graceful stop (SIGTERM, SIGKILL after {Grace.TotalSeconds:0} s); before: {before}");
        await Cluster.StopAsync(broker, Grace, cancellationToken);
        Applied = true;
        var state = await Cluster.ContainerStateAsync(broker, cancellationToken);
        var (gone, after) = await WaitForTopologyAsync(t => t.Brokers.Count > 0 && !t.Brokers.Contains(broker.Id), EffectTimeout, cancellationToken);
        Verify(gone && !state.Running, broker.Target, $"broker {broker.Id} stopped and left the cluster; after: {after}",
            $"broker {broker.Id} still running or registered after {EffectTimeout.TotalSeconds:0} s: {after}");
    }

    protected override async Task<string> UndoAsync(CancellationToken cancellationToken)
    {
        await Cluster.StartAsync(broker, cancellationToken);
        return broker.Target;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.RestartBroker;

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new BrokerRestart(context.RequireCluster(Name), context.Topic, context.Broker(fault), context.Journal, context.Time, context.Log);
    }
}
