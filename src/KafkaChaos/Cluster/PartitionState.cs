namespace KafkaChaos.Cluster;

/// <summary>One partition as the cluster reported it: leader (-1 when none), replicas and in-sync replicas.</summary>
public sealed record PartitionState(int Partition, int Leader, IReadOnlyList<int> Replicas, IReadOnlyList<int> InSyncReplicas)
{
    public override string ToString() =>
        $"p{Partition} leader={Leader} replicas=[{string.Join(',', Replicas)}] isr=[{string.Join(',', InSyncReplicas)}]";
}
