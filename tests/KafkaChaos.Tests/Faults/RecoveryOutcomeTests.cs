using KafkaChaos.Cluster;
using KafkaChaos.Faults;
using NUnit.Framework;

namespace KafkaChaos.Tests.Faults;

public class RecoveryOutcomeTests
{
    private static readonly ClusterTopology Whole = new(0, [1, 2, 3], [new PartitionState(0, 1, [1, 2, 3], [1, 2, 3])], Controller: 1);

    [Test]
    public void AHealThatOnlyWaited_HasNoRepairsToReport()
    {
        Assert.That(new RecoveryOutcome(true, Whole, [], ControllerReelected: false).DescribeRepairs(), Is.Empty);
    }

    [Test]
    public void EveryRepair_IsInTheEvidence()
    {
        var repairs = new RecoveryOutcome(true, Whole, [2, 3], ControllerReelected: true).DescribeRepairs();

        Assert.That(repairs, Is.EqualTo("; broker(s) [2,3] were running but had not rejoined 60 s after the heal, and were restarted"
            + "; every broker was registered but replicas stayed out of sync, so the controller was re-elected to send every broker its partitions' state again"));
    }
}
