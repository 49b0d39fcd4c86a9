namespace KafkaChaos.Cluster;

/// <summary>
/// How a cluster keeps its metadata: in ZooKeeper (every release up to 3.9, the only way before 2.8), or in
/// a KRaft quorum of controllers (production-ready from 3.3, the only way from 4.0).
/// </summary>
public enum ClusterMode
{
    ZooKeeper,
    KRaft,
}
