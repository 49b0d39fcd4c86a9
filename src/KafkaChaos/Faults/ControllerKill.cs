using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// SIGKILLs the node that is the cluster's controller at the moment of the fault, found from the topology
/// source (ZooKeeper's /controller; a KRaft quorum's LeaderId, a broker in combined mode or a controller of
/// its own), then confirms that another node took over: the controller decides
/// every leader and ISR change, and a fault during its failover is where elections go wrong. Healing starts
/// the broker again.
/// </summary>
public sealed class ControllerKill(FaultContext context) : RoleKill(context)
{
    public override string Name => FaultKinds.KillController;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var before = await Topology.TopologyAsync(Topic, cancellationToken);
        if (before.Controller < 0 || Control.Node(before.Controller) is not { } controller)
        {
            Record(FaultPhase.NotApplied, "controller", $"no controller is known (neither ZooKeeper nor the KRaft quorum named one this tool can reach); topology: {before}");
            Log("not applied: no controller is known");
            return;
        }

        await KillAsync(controller, "the controller", $"SIGKILL the controller; before: {before}", cancellationToken);
        var (moved, after) = await WaitForTopologyAsync(t => t.Controller >= 0 && t.Controller != controller.Id, EffectTimeout, cancellationToken);
        Verify(moved, controller.Target, $"controller moved {controller.Id} -> {after.Controller}; after: {after}",
            $"no other node became controller within {EffectTimeout.TotalSeconds:0} s: {after}");
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.KillController;

        public override string? Problem(FaultSpec fault, int brokers, int partitions, int replicationFactor) => NeedsTwoBrokers(brokers);

        public override Fault Create(FaultSpec fault, FaultContext context) => new ControllerKill(context);
    }
}
