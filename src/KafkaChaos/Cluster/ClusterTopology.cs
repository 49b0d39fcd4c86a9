namespace KafkaChaos.Cluster;

/// <summary>
/// Live brokers and a topic's partitions as read from cluster metadata at <see cref="TimestampMs"/>,
/// so faults and reports can say which broker they acted on and what changed.
/// </summary>
public sealed record ClusterTopology(long TimestampMs, IReadOnlyList<int> Brokers, IReadOnlyList<PartitionState> Partitions)
{
    public PartitionState? Partition(int partition) => Partitions.FirstOrDefault(p => p.Partition == partition);

    public override string ToString() =>
        $"brokers=[{string.Join(',', Brokers)}] " + string.Join("; ", Partitions.Select(p => p.ToString()));
}
