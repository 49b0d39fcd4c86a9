using KafkaChaos.Faults;
using KafkaChaos.Journal;
using NUnit.Framework;

namespace KafkaChaos.Tests.Faults;

/// <summary>
/// Each broker and network fault's apply, verify and heal against a simulated cluster: what it does to the
/// brokers, what it records, and that it leaves nothing behind. The same faults run on real brokers in the
/// cluster tests; these cover the decisions, fast and without Docker.
/// </summary>
public class FaultApplicationTests : TemporaryDirectoryTest
{
    [Test]
    public async Task KillLeader_KillsTheLeaderOfThePartition_VerifiesANewLeader_AndStartsItAtTheHeal()
    {
        using var bench = new FaultBench(TestDirectory);
        var fault = bench.Create(new FaultSpec { Kind = FaultKinds.KillLeader, Partition = 1 });

        await bench.RunAsync(() => fault.ApplyAsync(CancellationToken.None));

        Assert.That(fault.Verified, Is.True);
        Assert.That(bench.Cluster.State(2).Running, Is.False, "partition 1's replicas are 2,3,1: broker 2 led it");
        var topology = await bench.Cluster.TopologyAsync(FaultBench.Topic, CancellationToken.None);
        Assert.That(topology.Partition(1)!.Leader, Is.EqualTo(3));

        await bench.RunAsync(() => fault.HealAsync(CancellationToken.None));
        Assert.That(bench.Cluster.State(2).Running, Is.True);
        Assert.That(bench.Events().Select(e => e.Phase), Is.EqualTo(new[] { FaultPhase.Start, FaultPhase.Verified, FaultPhase.End }));
        Assert.That(bench.Events()[^1].Detail, Does.StartWith("healed; all brokers up and all replicas in sync"));
    }

    [Test]
    public async Task KillLeader_OfALoneLeader_IsVerifiedAsThePartitionGoingOffline()
    {
        using var bench = new FaultBench(TestDirectory);
        var cut = bench.Create(new FaultSpec { Kind = FaultKinds.CutReplication, Broker = 1 });
        await bench.RunAsync(() => cut.ApplyAsync(CancellationToken.None));
        var kill = bench.Create(new FaultSpec { Kind = FaultKinds.KillLeader, Partition = 0 });

        await bench.RunAsync(() => kill.ApplyAsync(CancellationToken.None));

        Assert.That(kill.Verified, Is.True);
        var verified = bench.Events().Last(e => e.Fault == FaultKinds.KillLeader);
        Assert.That(verified.Phase, Is.EqualTo(FaultPhase.Verified));
        Assert.That(verified.Detail, Does.Contain("is offline: broker 1 was its only in-sync replica"));
    }

    [Test]
    public async Task KillLeader_OfAPartitionWithoutALeader_IsNotApplied()
    {
        using var bench = new FaultBench(TestDirectory, brokers: 1, partitions: 1, replicationFactor: 1);
        await bench.Cluster.KillAsync(bench.Cluster.Brokers[0], "KILL", CancellationToken.None);
        var fault = bench.Create(new FaultSpec { Kind = FaultKinds.KillLeader, Partition = 0 });

        await bench.ApplyAndHealAsync(fault);

        Assert.That(fault.Verified, Is.False);
        Assert.That(bench.Events().Single().Phase, Is.EqualTo(FaultPhase.NotApplied));
        Assert.That(bench.Cluster.State(1).Kills, Is.EqualTo(1), "the fault killed nothing more");
    }

    [Test]
    public async Task KillController_KillsTheBrokerZooKeeperNamesController_AndVerifiesAnotherTookOver()
    {
        using var bench = new FaultBench(TestDirectory);
        var fault = bench.Create(new FaultSpec { Kind = FaultKinds.KillController });

        await bench.RunAsync(() => fault.ApplyAsync(CancellationToken.None));

        Assert.That(fault.Verified, Is.True);
        Assert.That(bench.Cluster.State(1).Kills, Is.EqualTo(1), "broker 1 was the controller");
        Assert.That(bench.Events().Single(e => e.Phase == FaultPhase.Verified).Detail, Does.StartWith("controller moved 1 -> 2"));
        await bench.RunAsync(() => fault.HealAsync(CancellationToken.None));
        Assert.That(bench.Cluster.State(1).Running, Is.True);
    }

    [Test]
    public async Task KillCoordinator_KillsTheLeaderOfTheGroupsOffsetsPartition_AndVerifiesItMoved()
    {
        using var bench = new FaultBench(TestDirectory);
        var partition = CoordinatorKill.OffsetsPartition("kafka-chaos-g", 3);
        var leader = (await bench.Cluster.TopologyAsync("__consumer_offsets", CancellationToken.None)).Partition(partition)!.Leader;
        var fault = FaultKinds.Create(new FaultSpec { Kind = FaultKinds.KillCoordinator }, bench.Context() with { ConsumerGroupId = "kafka-chaos-g" });

        await bench.RunAsync(() => fault.ApplyAsync(CancellationToken.None));

        Assert.That(fault.Verified, Is.True);
        Assert.That(bench.Cluster.State(leader).Kills, Is.EqualTo(1), $"broker {leader} led __consumer_offsets/{partition}");
        await bench.RunAsync(() => fault.HealAsync(CancellationToken.None));
        Assert.That(bench.Cluster.State(leader).Running, Is.True);
    }

    [TestCase("console-consumer-1", 50, 24)]
    [TestCase("kafka-chaos-20261203-150402-c93f", 10, 9)]
    [TestCase("", 50, 0)]
    public void OffsetsPartition_IsJavasHashCodeModuloThePartitions(string group, int partitions, int expected)
    {
        Assert.That(CoordinatorKill.OffsetsPartition(group, partitions), Is.EqualTo(expected));
    }

    [Test]
    public async Task PauseBroker_FreezesTheNamedBroker_UntilItsSessionDrops_AndThawsItAtTheHeal()
    {
        using var bench = new FaultBench(TestDirectory);
        var fault = bench.Create(new FaultSpec { Kind = FaultKinds.PauseBroker, Broker = 3 });

        await bench.RunAsync(() => fault.ApplyAsync(CancellationToken.None));
        Assert.That((fault.Verified, bench.Cluster.State(3).Paused), Is.EqualTo((true, true)));

        await bench.RunAsync(() => fault.HealAsync(CancellationToken.None));
        Assert.That(bench.Cluster.State(3).Paused, Is.False);
    }

    [Test]
    public async Task IsolateLeader_CutsItFromEveryPeerAndZooKeeper_ButNotFromClients_AndClearsEveryRule()
    {
        using var bench = new FaultBench(TestDirectory);
        var fault = bench.Create(new FaultSpec { Kind = FaultKinds.IsolateLeader, Partition = 0 });

        await bench.RunAsync(() => fault.ApplyAsync(CancellationToken.None));

        Assert.That(fault.Verified, Is.True);
        var rules = bench.Cluster.State(1).Rules.Lines.Select(l => l.Rule).ToArray();
        Assert.That(rules, Is.EquivalentTo(new[]
        {
            "-s 10.9.0.12 -j DROP", "-d 10.9.0.12 -j DROP", "-s 10.9.0.13 -j DROP", "-d 10.9.0.13 -j DROP",
            $"-s {SimulatedCluster.ZooKeeper} -j DROP", $"-d {SimulatedCluster.ZooKeeper} -j DROP",
        }));

        await bench.RunAsync(() => fault.HealAsync(CancellationToken.None));
        Assert.That(bench.Cluster.State(1).Rules.Lines, Is.Empty);
        Assert.That(bench.Cluster.Releases.GetValueOrDefault(1), Is.EqualTo(1), "the network namespace's helper is let go once the rules are cleared");
    }

    [Test]
    public async Task IsolateBroker_DropsEverythingButLoopback()
    {
        using var bench = new FaultBench(TestDirectory);
        var fault = bench.Create(new FaultSpec { Kind = FaultKinds.IsolateBroker, Broker = 2 });

        await bench.ApplyAndHealAsync(fault);

        Assert.That(fault.Verified, Is.True);
        Assert.That(bench.Cluster.NetworkCommands.Where(c => c.Broker == 2).Select(c => c.Command), Does.Contain("iptables -A KAFKA_CHAOS_IN ! -i lo -j DROP"));
        Assert.That(bench.Cluster.State(2).Rules.Lines, Is.Empty);
    }

    [Test]
    public async Task CutReplication_IsVerifiedOnlyOnceTheBrokerIsOutOfEveryIsrItFollows_WhileStillRegistered()
    {
        using var bench = new FaultBench(TestDirectory);
        var fault = bench.Create(new FaultSpec { Kind = FaultKinds.CutReplication, Broker = 2 });

        await bench.RunAsync(() => fault.ApplyAsync(CancellationToken.None));

        var topology = await bench.Cluster.TopologyAsync(FaultBench.Topic, CancellationToken.None);
        Assert.That(fault.Verified, Is.True);
        Assert.That(topology.Brokers, Does.Contain(2));
        Assert.That(topology.Partitions.Where(p => p.Leader != 2).All(p => !p.InSyncReplicas.Contains(2)), Is.True, topology.ToString());
        await bench.RunAsync(() => fault.HealAsync(CancellationToken.None));
        Assert.That((await bench.Cluster.TopologyAsync(FaultBench.Topic, CancellationToken.None)).IsWhole(3), Is.True);
    }

    [Test]
    public async Task PartitionHalves_PutsZooKeeperOnTheLargerSide()
    {
        using var bench = new FaultBench(TestDirectory);
        var fault = bench.Create(new FaultSpec { Kind = FaultKinds.PartitionHalves });

        await bench.RunAsync(() => fault.ApplyAsync(CancellationToken.None));

        var topology = await bench.Cluster.TopologyAsync(FaultBench.Topic, CancellationToken.None);
        Assert.That(fault.Verified, Is.True);
        Assert.That(topology.Brokers, Is.EqualTo(new[] { 1, 2 }));
        await bench.RunAsync(() => fault.HealAsync(CancellationToken.None));
        Assert.That(bench.Cluster.Brokers.All(b => bench.Cluster.State(b.Id).Rules.Lines.Count == 0), Is.True);
    }

    [Test]
    public async Task NetLoss_OnAllBrokers_CountsDropsAsEvidence()
    {
        using var bench = new FaultBench(TestDirectory);
        var fault = bench.Create(new FaultSpec { Kind = FaultKinds.NetLoss, AllBrokers = true, LossPercent = 10 });

        await bench.RunAsync(() => fault.ApplyAsync(CancellationToken.None));

        Assert.That(fault.Verified, Is.True);
        Assert.That(bench.Events().Single(e => e.Phase == FaultPhase.Verified).Detail, Does.Contain("100 of 1000 outgoing packets dropped"));
        Assert.That(bench.Cluster.Brokers.All(b => bench.Cluster.State(b.Id).Rules.Lines.Any(l => l.Rule.Contains("--probability 0.1", StringComparison.Ordinal))), Is.True);
        await bench.RunAsync(() => fault.HealAsync(CancellationToken.None));
        Assert.That(bench.Cluster.Brokers.All(b => bench.Cluster.State(b.Id).Rules.Lines.Count == 0), Is.True);
    }

    [Test]
    public async Task NetDelay_WithoutNetem_IsNotApplied_AndChangesNothing()
    {
        using var bench = new FaultBench(TestDirectory);
        var fault = bench.Create(new FaultSpec { Kind = FaultKinds.NetDelay, Broker = 1, DelayMs = 200 });

        await bench.ApplyAndHealAsync(fault);

        Assert.That(fault.Verified, Is.False);
        Assert.That(bench.Events().Select(e => e.Phase), Does.Contain(FaultPhase.NotApplied));
        Assert.That(bench.Cluster.NetworkCommands.Count(c => c.Command.StartsWith("tc qdisc replace", StringComparison.Ordinal)), Is.EqualTo(1), "one attempt, refused");
    }

    [Test]
    public async Task AddPartitions_RaisesTheCount_AndIsVerifiedByLeaders()
    {
        using var bench = new FaultBench(TestDirectory);
        var fault = bench.Create(new FaultSpec { Kind = FaultKinds.AddPartitions, NewPartitions = 2 });

        await bench.ApplyAndHealAsync(fault);

        Assert.That(fault.Verified, Is.True);
        Assert.That((await bench.Cluster.TopologyAsync(FaultBench.Topic, CancellationToken.None)).Partitions, Has.Count.EqualTo(5));
    }

    [Test]
    public async Task Heal_RestartsABrokerThatRunsButNeverRejoins_AndSaysSo()
    {
        using var bench = new FaultBench(TestDirectory);
        var fault = bench.Create(new FaultSpec { Kind = FaultKinds.KillBroker, Broker = 3 });
        await bench.RunAsync(() => fault.ApplyAsync(CancellationToken.None));
        bench.Cluster.State(3).StaysUnregisteredAfterStart = true;

        await bench.RunAsync(() => fault.HealAsync(CancellationToken.None));

        Assert.That(bench.Cluster.State(3).Stops, Is.EqualTo(1), "stopped once by the recovery, after the rejoin timeout");
        Assert.That(bench.Cluster.State(3).Starts, Is.EqualTo(2), "the heal's start, then the recovery's");
        Assert.That(bench.Events()[^1].Detail, Does.Contain("healed; all brokers up and all replicas in sync").And.Contain("broker(s) [3] were running but had not rejoined"));
    }

    [Test]
    public async Task Heal_LeavesTheControllerAlone_WhileAnotherFaultHoldsABroker()
    {
        using var bench = new FaultBench(TestDirectory);
        var cut = bench.Create(new FaultSpec { Kind = FaultKinds.CutReplication, Broker = 2 });
        var pause = bench.Create(new FaultSpec { Kind = FaultKinds.PauseBroker, Broker = 3 });
        await bench.RunAsync(() => cut.ApplyAsync(CancellationToken.None));
        await bench.RunAsync(() => pause.ApplyAsync(CancellationToken.None));

        await bench.RunAsync(() => pause.HealAsync(CancellationToken.None));

        Assert.That(bench.Cluster.ControllerReelections, Is.Zero, "broker 2 lags because a fault still cuts it off");
        Assert.That(bench.Events()[^1].Detail, Does.StartWith("healed, but replicas were still out of sync"));
    }

    [Test]
    public void FaultUndo_ThawsStartsAndClearsEveryBroker_WithoutKnowingWhichFaultsRan()
    {
        using var bench = new FaultBench(TestDirectory);
        bench.Cluster.State(1).Paused = true;
        bench.Cluster.State(2).Running = false;
        bench.Cluster.State(3).Rules.Lines.Add(("KAFKA_CHAOS_OUT", "! -o lo -j DROP"));

        Assert.That(async () => await FaultUndo.EverythingAsync(bench.Cluster.Access, CancellationToken.None), Throws.Nothing);

        Assert.That(bench.Cluster.Brokers.Select(b => bench.Cluster.State(b.Id)).All(s => s is { Running: true, Paused: false } && s.Rules.Lines.Count == 0), Is.True);
    }
}
