using KafkaChaos.Faults;
using NUnit.Framework;

namespace KafkaChaos.Tests.Faults;

public class FaultScheduleTests
{
    [Test]
    public void Times_Every_RepeatsFromTheStart()
    {
        var trigger = new FaultTrigger(TimeSpan.FromSeconds(2), Every: TimeSpan.FromSeconds(3), Count: 3);

        Assert.That(trigger.Times(new Random(0)), Is.EqualTo(new[] { 2.0, 5.0, 8.0 }.Select(TimeSpan.FromSeconds)));
    }

    [Test]
    public void Times_RandomWindow_IsInsideTheWindowSortedAndTheSameForTheSameSeed()
    {
        var trigger = new FaultTrigger(TimeSpan.FromSeconds(10), Count: 5, WindowEnd: TimeSpan.FromSeconds(20));

        var first = trigger.Times(new Random(42));
        var again = trigger.Times(new Random(42));
        var other = trigger.Times(new Random(43));

        Assert.That(first, Is.EqualTo(again));
        Assert.That(first, Is.Not.EqualTo(other));
        Assert.That(first, Is.Ordered);
        Assert.That(first.All(t => t >= TimeSpan.FromSeconds(10) && t < TimeSpan.FromSeconds(20)), Is.True);
    }

    [Test]
    public void Plan_OverlappingFaults_AreMergedInTimeOrder()
    {
        var faults = new[]
        {
            new FaultSpec { Kind = FaultKinds.NetLoss, When = new FaultTrigger(TimeSpan.FromSeconds(1)), Duration = TimeSpan.FromSeconds(10) },
            new FaultSpec { Kind = FaultKinds.KillBroker, When = new FaultTrigger(TimeSpan.Zero, Every: TimeSpan.FromSeconds(4), Count: 2) },
        };

        var nemesis = new Nemesis(faults, 7, (_, _) => throw new InvalidOperationException(), null!, "t", null!, TimeProvider.System, _ => { });

        Assert.That(nemesis.Plan.Select(p => (p.At.TotalSeconds, p.Spec.Kind)), Is.EqualTo(new[]
        {
            (0.0, FaultKinds.KillBroker), (1.0, FaultKinds.NetLoss), (4.0, FaultKinds.KillBroker),
        }));
    }

    [TestCase(FaultKinds.KillBroker, 4, null, "broker 4 is out of range: brokers are 1..3")]
    [TestCase(FaultKinds.KillLeader, null, 3, "partition 3 is out of range: partitions are 0..2")]
    [TestCase("explode-broker", null, null, "unknown fault 'explode-broker'")]
    public void Problem_BadTarget_IsNamed(string kind, int? broker, int? partition, string expected)
    {
        var problem = FaultKinds.Problem(new FaultSpec { Kind = kind, Broker = broker, Partition = partition }, brokers: 3, partitions: 3, replicationFactor: 3);

        Assert.That(problem, Does.StartWith(expected));
    }

    [Test]
    public void Problem_FaultsThatNeedSeveralBrokersOrReplicas_AreRejectedOnOne()
    {
        Assert.That(FaultKinds.Problem(new FaultSpec { Kind = FaultKinds.IsolateLeader }, 1, 3, 1), Does.Contain("replication factor of at least 2"));
        Assert.That(FaultKinds.Problem(new FaultSpec { Kind = FaultKinds.PartitionHalves }, 1, 3, 1), Does.Contain("at least 2 brokers"));
        Assert.That(FaultKinds.Problem(new FaultSpec { Kind = FaultKinds.KillLeader }, 3, 3, 1), Does.Contain("replication factor"));
    }

    [Test]
    public void PartitionsAtEnd_CountsEveryAdditionOfEveryFiring()
    {
        FaultSpec[] faults =
        [
            new() { Kind = FaultKinds.AddPartitions, NewPartitions = 2, When = new FaultTrigger(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 3) },
            new() { Kind = FaultKinds.AddPartitions, NewPartitions = 1 },
            new() { Kind = FaultKinds.KillLeader },
        ];

        Assert.That(FaultKinds.PartitionsAtEnd(3, faults), Is.EqualTo(3 + 2 * 3 + 1));
        Assert.That(FaultKinds.Problem(new FaultSpec { Kind = FaultKinds.AddPartitions, NewPartitions = 0 }, 3, 3, 3), Does.Contain("new_partitions 0"));
        Assert.That(FaultKinds.HasDuration(FaultKinds.AddPartitions), Is.False, "partitions cannot be taken away: nothing to heal");
    }

    [Test]
    public void Problem_BadNumbers_AreRejected()
    {
        Assert.That(FaultKinds.Problem(new FaultSpec { Kind = FaultKinds.NetLoss, LossPercent = 150 }, 3, 3, 3), Does.Contain("loss 150%"));
        Assert.That(FaultKinds.Problem(new FaultSpec { Kind = FaultKinds.NetDelay, DelayMs = 10, JitterMs = 20 }, 3, 3, 3), Does.Contain("jitter"));
        Assert.That(FaultKinds.Problem(new FaultSpec { Kind = FaultKinds.KillBroker, Duration = TimeSpan.FromSeconds(-1) }, 3, 3, 3), Does.Contain("duration"));
        Assert.That(FaultKinds.Problem(new FaultSpec { Kind = FaultKinds.KillBroker, When = new FaultTrigger(TimeSpan.FromSeconds(5), WindowEnd: TimeSpan.FromSeconds(1)) }, 3, 3, 3),
            Does.Contain("window"));
    }

    [Test]
    public void Problem_EveryKindOnAThreeBrokerCluster_IsAccepted()
    {
        Assert.That(FaultKinds.All.Select(k => FaultKinds.Problem(new FaultSpec { Kind = k }, 3, 3, 3)), Is.All.Null);
    }
}
