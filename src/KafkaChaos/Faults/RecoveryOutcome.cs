using KafkaChaos.Cluster;

namespace KafkaChaos.Faults;

/// <summary>
/// How a heal's wait for a whole cluster ended, and what it had to do beyond waiting. Those repairs are
/// Kafka failing to recover on its own, so they go into the fault's evidence rather than being hidden.
/// </summary>
public sealed record RecoveryOutcome(bool Whole, ClusterTopology Topology, IReadOnlyList<int> Restarted, bool ControllerReelected)
{
    /// <summary>The evidence for the repairs, empty when there were none.</summary>
    public string DescribeRepairs()
    {
        var repairs = "";
        if (Restarted.Count > 0)
        {
            repairs += $"; broker(s) [{string.Join(',', Restarted)}] were running but had not rejoined {ClusterRecovery.RejoinTimeout.TotalSeconds:0} s after the heal, and were restarted";
        }

        if (ControllerReelected)
        {
            repairs += "; every broker was registered but replicas stayed out of sync, so the controller was re-elected to send every broker its partitions' state again";
        }

        return repairs;
    }
}
