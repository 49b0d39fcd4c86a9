using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.Tests.Cluster;

public class ClusterTopologyTests
{
    private static ClusterTopology Topology(int[] brokers, params PartitionState[] partitions) => new(0, brokers, partitions, Controller: 1);

    [Test]
    public void ARegisteredBrokerMissingFromAnIsr_IsOnlyAReplicaLagging()
    {
        // What CI saw after a heal restarted broker 2: registered, every partition led, and 2 in no ISR.
        var topology = Topology([1, 2, 3],
            new PartitionState(0, 1, [1, 3, 2], [1, 3]), new PartitionState(1, 1, [2, 1, 3], [1, 3]), new PartitionState(2, 3, [3, 2, 1], [1, 3]));

        Assert.That(topology.IsWhole(3), Is.False);
        Assert.That(topology.OnlyReplicasLag(3), Is.True);
    }

    [Test]
    public void AWholeCluster_HasNoLaggingReplicas()
    {
        var topology = Topology([1, 2, 3], new PartitionState(0, 1, [1, 2, 3], [1, 2, 3]));

        Assert.That(topology.IsWhole(3), Is.True);
        Assert.That(topology.OnlyReplicasLag(3), Is.False);
    }

    [Test]
    public void AnUnregisteredBroker_IsMoreThanReplicasLagging()
    {
        var topology = Topology([1, 3], new PartitionState(0, 1, [1, 2, 3], [1, 3]));

        Assert.That(topology.OnlyReplicasLag(3), Is.False);
    }

    [Test]
    public void APartitionWithoutALeader_IsMoreThanReplicasLagging()
    {
        var topology = Topology([1, 2, 3], new PartitionState(0, -1, [1, 2, 3], [2]));

        Assert.That(topology.OnlyReplicasLag(3), Is.False);
    }

    [Test]
    public void NoPartitionsRead_IsNotReplicasLagging()
    {
        Assert.That(Topology([1, 2, 3]).OnlyReplicasLag(3), Is.False);
    }
}
