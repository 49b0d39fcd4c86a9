namespace KafkaChaos.Cluster;

/// <summary>
/// Live brokers, the controller (-1 when unknown) and a topic's partitions at <see cref="TimestampMs"/>,
/// so faults and reports can say which broker they acted on and what changed.
/// </summary>
public sealed record ClusterTopology(long TimestampMs, IReadOnlyList<int> Brokers, IReadOnlyList<PartitionState> Partitions, int Controller = -1)
{
    public PartitionState? Partition(int partition) => Partitions.FirstOrDefault(p => p.Partition == partition);

    /// <summary>Every one of <paramref name="brokers"/> brokers registered, and every partition led and fully in sync.</summary>
    public bool IsWhole(int brokers) =>
        Brokers.Count == brokers && Partitions.Count > 0 && Partitions.All(p => p.Leader >= 0 && p.InSyncReplicas.Count == p.Replicas.Count);

    /// <summary>
    /// Every broker registered and every partition led, yet some replica out of its ISR: what is left to
    /// heal is replication alone, either a follower still catching up or one no controller told to follow.
    /// </summary>
    public bool OnlyReplicasLag(int brokers) =>
        Brokers.Count == brokers && Partitions.Count > 0 && Partitions.All(p => p.Leader >= 0) && !IsWhole(brokers);

    public override string ToString() =>
        $"brokers=[{string.Join(',', Brokers)}] controller={Controller} " + string.Join("; ", Partitions.Select(p => p.ToString()));
}
