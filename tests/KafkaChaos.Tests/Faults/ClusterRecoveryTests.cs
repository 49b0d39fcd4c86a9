using KafkaChaos.Faults;
using NUnit.Framework;

namespace KafkaChaos.Tests.Faults;

public class ClusterRecoveryTests
{
    [Test]
    public void IsLoadingLogs_RecognisesA09BrokerRecoveringAfterSigkill()
    {
        // A 0.9.0.1 broker restarted after SIGKILL, 90 s into re-reading its segments (Docker log timestamps included).
        string[] lines =
        [
            "2026-11-23T15:42:45.887Z [2026-11-23 15:42:45,887] INFO Recovering unflushed segment 0 in log bench-ffc4957afda94f-1. (kafka.log.Log)",
            "2026-11-23T15:42:56.551Z [2026-11-23 15:42:56,551] INFO Completed load of log bench-ffc4957afda94f-1 with log end offset 5834121 (kafka.log.Log)",
            "2026-11-23T15:42:56.552Z [2026-11-23 15:42:56,552] INFO Recovering unflushed segment 0 in log __consumer_offsets-3. (kafka.log.Log)",
        ];

        Assert.That(ClusterRecovery.IsLoadingLogs(lines), Is.True);
    }

    [Test]
    public void IsLoadingLogs_RecognisesAKRaftBrokerRecovering()
    {
        string[] lines = ["[2026-11-23 15:00:01,000] INFO [LogLoader partition=t-0, dir=/var/lib/kafka/data] Recovering unflushed segment 0. 0/1 recovered for t-0. (kafka.log.LogLoader)"];

        Assert.That(ClusterRecovery.IsLoadingLogs(lines), Is.True);
    }

    [TestCase("[2026-11-23 15:43:13,978] INFO [Kafka Server 2], started (kafka.server.KafkaServer)")]
    [TestCase("[2026-11-23 15:43:13,978] INFO [BrokerServer id=2] Transition from STARTING to STARTED (kafka.server.BrokerServer)")]
    public void IsLoadingLogs_IsFalseOnceTheBrokerHasStarted(string last)
    {
        string[] lines = ["[2026-11-23 15:43:09,670] INFO Recovering unflushed segment 0 in log t-1. (kafka.log.Log)", last];

        Assert.That(ClusterRecovery.IsLoadingLogs(lines), Is.False);
    }

    [Test]
    public void IsLoadingLogs_IsFalseForABrokerThatIsUpButUnregistered()
    {
        // What a 0.9 broker cut off from ZooKeeper writes while it never re-registers: nothing about its logs.
        string[] lines =
        [
            "[2026-11-23 15:10:54,101] INFO Partition [t,0] on broker 2: Shrinking ISR for partition [t,0] from 2,3,1 to 2 (kafka.cluster.Partition)",
            "[2026-11-23 15:10:56,300] INFO zookeeper state changed (Expired) (org.I0Itec.zkclient.ZkClient)",
        ];

        Assert.That(ClusterRecovery.IsLoadingLogs(lines), Is.False);
        Assert.That(ClusterRecovery.IsLoadingLogs([]), Is.False);
    }
}
