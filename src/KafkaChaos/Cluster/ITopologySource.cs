namespace KafkaChaos.Cluster;

/// <summary>
/// Where faults learn which brokers are alive, who leads each partition and who is in sync: the cluster's
/// own source of truth, never one broker's metadata cache, which a paused or cut-off broker keeps serving.
/// </summary>
public interface ITopologySource
{
    /// <summary>Live brokers, the controller and the topic's partitions now; empty when the source could not be read.</summary>
    Task<ClusterTopology> TopologyAsync(string topic, CancellationToken cancellationToken);

    /// <summary>The brokers clients are told about in metadata: a broker is back for clients only once it is here.</summary>
    Task<IReadOnlyList<int>> AnnouncedBrokersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes the cluster elect its controller again, the operator's repair for a controller that missed a
    /// broker coming back (see <see cref="ZooKeeperTopologySource.ReelectControllerAsync"/>).
    /// </summary>
    /// <returns>False where this cluster has no such repair.</returns>
    Task<bool> ReelectControllerAsync(CancellationToken cancellationToken);
}
