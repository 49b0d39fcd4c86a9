using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Experiments.Targets;

/// <summary>
/// Where a cell runs, and how the cluster is had and left: one the tool starts and removes (or keeps), one
/// it attached to and must leave as it found it, or one it only reaches by its bootstrap servers. The runner's
/// phases are the same for all three; what differs is here.
/// </summary>
public interface ICellTarget
{
    /// <summary>The cluster in a few words, for the line that starts the cell.</summary>
    string Description { get; }

    /// <summary>What the cell's config records of the cluster, over the spec's own settings.</summary>
    void Describe(IDictionary<string, string> config);

    /// <summary>Makes the cluster ready for the workload; for the faults, its access (null where they cannot reach it).</summary>
    Task<(IKafkaTarget Target, ClusterAccess? Access)> ProvisionAsync(CancellationToken cancellationToken);

    /// <summary>After the workload, however it ended: undo, copy logs, remove or keep.</summary>
    Task LeaveAsync(RunStatus status, string cellDirectory);
}
