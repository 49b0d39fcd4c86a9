using KafkaChaos.Cluster;
using KafkaChaos.Faults;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// A 0.9 controller that misses a broker coming back, made on purpose, and the heal that repairs it.
/// The controller watches /brokers/ids with a one-shot ZooKeeper watch and compares the brokers it reads
/// with the ones it knows (KAFKA-1120). A broker that leaves and registers again before the controller
/// reads looks unchanged, so no controller ever tells the new process what to replicate: it is
/// registered, every partition is led, and it rejoins no ISR. CI met this after a heal restarted a broker.
/// </summary>
[Category("Cluster")]
[NonParallelizable]
public class ControllerMissedBrokerTests
{
    private const string Topic = "missed";

    [Test]
    public async Task Heal_ReelectsTheController_WhenARegisteredBrokerIsNeverToldWhatToReplicate()
    {
        // A 30 s ZooKeeper session lets the frozen controller keep its session through the bounce; without
        // preferred-leader elections, leadership stays where the steps below put it.
        var settings = new Dictionary<string, string> { ["zookeeper.session.timeout.ms"] = "30000", ["auto.leader.rebalance.enable"] = "false" };
        await using var cluster = await KafkaCluster.StartAsync(ClusterEnvironment.Engine, new ClusterSpec(ClusterEnvironment.Image, ClusterEnvironment.Version, 3, settings),
            $"missed-{Environment.ProcessId}", TestContext.Progress.WriteLine, CancellationToken.None);
        await cluster.CreateTopicAsync(Topic, 3, 3, new Dictionary<string, string>(), CancellationToken.None);
        var witness = new ClusterWitness(ClusterEnvironment.Engine.Client, cluster.ClientSettings, cluster.ZooKeeperConnect);
        var controllerId = await witness.ControllerAsync();
        Assert.That(controllerId, Is.EqualTo((await cluster.Access.Topology.TopologyAsync(Topic, CancellationToken.None)).Controller), "ZooKeeper's own dump and the tool agree on the controller");
        var controller = cluster.Access.Brokers.Broker(controllerId!.Value);
        var bounced = cluster.Brokers.First(b => b.Id != controller.Id);

        // A controlled shutdown moves leadership off the broker to bounce, so that what it misses is only
        // following: every partition keeps a leader that serves.
        await cluster.Access.Brokers.StopAsync(bounced, TimeSpan.FromSeconds(30), CancellationToken.None);
        await cluster.Access.Brokers.StartAsync(bounced, CancellationToken.None);
        var (whole, topology) = await WholeAsync(cluster, TimeSpan.FromMinutes(2));
        Assert.That(whole, Is.True, $"whole again after a graceful restart: {topology}");
        Assert.That(topology.Partitions.Select(p => p.Leader), Has.None.EqualTo(bounced.Id), $"broker {bounced.Id} leads nothing: {topology}");

        // The bounce, while the controller is frozen: the old process dies, its registration goes, the new
        // process registers. The controller then reads the same three brokers it knew.
        Assert.That(await cluster.Access.Brokers.PauseAsync(controller, CancellationToken.None), Is.Null, "the controller frozen");
        try
        {
            await cluster.Access.Brokers.KillAsync(bounced, "SIGKILL", CancellationToken.None);
            await new DistributionShell(cluster.Access.Brokers, ZooKeeperBrokerConfig.KafkaHome, cluster.ZooKeeperConnect).ZooKeeperCommandAsync($"delete /brokers/ids/{bounced.Id}", CancellationToken.None);
            await cluster.Access.Brokers.StartAsync(bounced, CancellationToken.None);
            // Read from ZooKeeper's own session dump: no broker's metadata has the new process while the controller is frozen.
            var registered = await witness.RegisteredUntilAsync(ids => ids.Contains(bounced.Id), TimeSpan.FromSeconds(20));
            Assert.That(registered.Held, Is.True, $"broker {bounced.Id} registered again within 20 s: [{string.Join(",", registered.Ids)}]");
        }
        finally
        {
            await cluster.Access.Brokers.UnpauseAsync(controller, CancellationToken.None);
        }

        // The leaders drop the dead follower from their ISRs (replica.lag.time.max.ms, 10 s), and the new
        // process, registered, never comes back into them.
        (var dropped, topology) = await ClusterRecovery.PollAsync(cluster.Access.Topology, Topic, t => t.Partitions.All(p => !p.InSyncReplicas.Contains(bounced.Id)),
            TimeSpan.FromSeconds(60), TimeProvider.System, CancellationToken.None);
        Assert.That(dropped, Is.True, $"broker {bounced.Id} out of every ISR after its bounce: {topology}");
        // Missed, not merely late: the state must hold for 20 s more, watched all along, not slept through.
        (var rejoined, topology) = await ClusterRecovery.PollAsync(cluster.Access.Topology, Topic,
            t => !(t.OnlyReplicasLag(3) && t.Partitions.All(p => !p.InSyncReplicas.Contains(bounced.Id))), TimeSpan.FromSeconds(20), TimeProvider.System, CancellationToken.None);
        if (rejoined)
        {
            var tail = string.Join('\n', await cluster.Access.Brokers.LogTailAsync(bounced, 40, CancellationToken.None));
            Assert.Fail($"the controller did not miss the bounce: broker {bounced.Id} should be registered, every partition led, and {bounced.Id} in no ISR "
                + $"20 s on, but: {topology}; broker {bounced.Id} is {await cluster.Access.Brokers.StateAsync(bounced, CancellationToken.None)} and last wrote:\n{tail}");
        }

        var recovery = await ClusterRecovery.WaitAsync(cluster.Access, Topic, TimeProvider.System, TestContext.Progress.WriteLine, CancellationToken.None);

        Assert.That(recovery.Whole, Is.True, recovery.Topology.ToString());
        Assert.That(recovery.ControllerReelected, Is.True);
        Assert.That(recovery.Restarted, Is.Empty, "a registered broker is not restarted");
        Assert.That(recovery.DescribeRepairs(), Does.Contain("the controller was re-elected"));
        Assert.That(recovery.Topology.Partitions.All(p => p.InSyncReplicas.Contains(bounced.Id)), Is.True, recovery.Topology.ToString());
        var (inSync, seen) = await witness.MetadataUntilAsync(Topic, m => m.Topics.Single().Partitions.All(p => p.InSyncReplicas.Contains(bounced.Id)), TimeSpan.FromSeconds(30));
        Assert.That(inSync, Is.True, $"the test's own client sees broker {bounced.Id} back in every ISR: {seen}");
    }

    private static Task<(bool Met, ClusterTopology Topology)> WholeAsync(KafkaCluster cluster, TimeSpan timeout) =>
        ClusterRecovery.PollAsync(cluster.Access.Topology, Topic, t => t.IsWhole(3), timeout, TimeProvider.System, CancellationToken.None);
}
