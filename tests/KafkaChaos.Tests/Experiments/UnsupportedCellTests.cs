using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using NUnit.Framework;

namespace KafkaChaos.Tests.Experiments;

/// <summary>
/// Cells a broker version cannot run are reported unsupported with the reason, never run as something
/// else: the shipped experiment files, walked per version family (0.9, 3.3–3.8 KRaft, 3.9, 4.x).
/// </summary>
public class UnsupportedCellTests
{
    private static ExperimentPlan Load(string name) => ExperimentFile.Load(Path.Combine(RepositoryPaths.Root(), "experiments", name + ".yaml"));

    [TestCase("0.9.0.1", 1)]
    [TestCase("0.11.0", 0)]
    [TestCase("4.1.0", 0)]
    public void IdempotenceCells_RunFrom011(string version, int unsupportedPerRepetition)
    {
        var plan = Load("idempotence-net-loss");

        var unsupported = plan.Cells.Where(c => MatrixRunner.UnsupportedReason(c.Spec, KafkaVersion.Parse(version)) is not null).ToList();

        Assert.That(unsupported.Count, Is.EqualTo(unsupportedPerRepetition * 3));
        Assert.That(unsupported.Select(c => c.Settings["producer.enable.idempotence"]), Is.All.EqualTo("true"));
        // Where they run, the file expects no duplicate and no reordering of them.
        var idempotent = plan.Cells.First(c => c.Settings["producer.enable.idempotence"] == "true");
        Assert.That(idempotent.Expectations.Select(e => e.ToString()), Has.Some.Contains("duplicate_writes == 0").And.Some.Contains("out_of_order == 0"));
    }

    [TestCase("3.3.2", null, true)]
    [TestCase("3.8.1", null, true)]
    [TestCase("3.8.1", ClusterMode.ZooKeeper, false)]
    [TestCase("3.9.0", null, false)]
    [TestCase("4.1.0", null, false)]
    [TestCase("0.9.0.1", null, false)]
    public void UncleanElectionCell_OnKRaftBefore39_IsUnsupported(string version, ClusterMode? mode, bool unsupported)
    {
        var unclean = Load("unclean-election").Cells.First(c => c.Settings["broker.unclean.leader.election.enable"] == "true");

        var reason = MatrixRunner.UnsupportedReason(unclean.Spec with { Mode = mode }, KafkaVersion.Parse(version));

        Assert.That(reason is not null, Is.EqualTo(unsupported), reason);
        if (unsupported)
        {
            Assert.That(reason, Does.Contain("KAFKA-12670"));
        }
    }
}
