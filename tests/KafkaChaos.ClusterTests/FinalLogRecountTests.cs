using KafkaChaos.Experiments;
using KafkaChaos.Faults;
using KafkaChaos.Journal;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// The ledger held to a plain read of the kept cluster's topic, made after the run by a reader that
/// shares none of the tool's code: what the ledger says is in the log must be what is there, and what
/// it calls lost must be exactly the acknowledged messages the log no longer holds.
/// </summary>
[Category("Cluster")]
public class FinalLogRecountTests : RunDirectoryTest
{
    [Test]
    public async Task KillLeader_LedgerAgreesWithAPlainReadOfTheTopic()
    {
        var spec = ExperimentSpec.Default with
        {
            Messages = 6_000,
            RatePerSecond = 1_500,
            Faults = [new FaultSpec { Kind = FaultKinds.KillLeader, Partition = 0, When = new FaultTrigger(TimeSpan.FromSeconds(1.5)), Duration = TimeSpan.FromSeconds(3) }],
        };

        var (cell, plain, acked) = await RunAndRecountAsync(spec);

        // The fault really happened: the leader was killed, a new leader was seen, and everything healed.
        Assert.That(cell.Faults.Select(f => f.Phase), Is.EqualTo(new[] { FaultPhase.Start, FaultPhase.Verified, FaultPhase.End, FaultPhase.End }));
        Assert.That(plain.Distinct.All(m => m.Sequence < spec.Messages), Is.True);
        Assert.That(cell.Counts.InconsistentOffsets, Is.Zero);
        Assert.That(cell.Counts.Lost, Is.Zero, "acks=all with min.insync.replicas=2 on a clean election loses nothing acknowledged");
    }

    [Test]
    public async Task UncleanElection_LostIsExactlyWhatThePlainReadIsMissing()
    {
        var plan = ExperimentFile.Load(Path.Combine(KafkaChaos.Tests.RepositoryPaths.Root(), "experiments", "unclean-election.yaml"));
        var unclean = plan.Cells.Single(c => c.Settings["broker.unclean.leader.election.enable"] == "true");

        var (cell, plain, acked) = await RunAndRecountAsync(unclean.Spec with { Name = unclean.Name });

        var missing = acked.Count(m => !plain.Distinct.Contains(m));
        TestContext.Progress.WriteLine($"unclean election: lost {cell.Counts.Lost} (after a read {cell.Counts.LostAfterRead}), the plain read misses {missing} acknowledged messages");
        Assert.That(cell.Counts.Lost, Is.EqualTo(missing));
    }

    /// <summary>
    /// Runs <paramref name="spec"/> with its cluster kept, reads the topic plainly, and checks the counts
    /// that must agree with that read whatever the broker did.
    /// </summary>
    private async Task<(CellResult Cell, PlainTopicRead Plain, List<(int, long)> Acked)> RunAndRecountAsync(ExperimentSpec spec)
    {
        var runner = new ExperimentRunner(ClusterEnvironment.Engine, TimeProvider.System, TestContext.Progress.WriteLine) { KeepCluster = true };
        try
        {
            var outcome = await runner.RunAsync(spec, ClusterEnvironment.Image, ClusterEnvironment.Version, Runs, CancellationToken.None);
            var cell = outcome.Results.Cells.Single();
            Assert.That((cell.Status, cell.Valid, cell.JudgedOnFinalLog), Is.EqualTo(("completed", true, true)), string.Join("; ", Reports.InvalidReasons(cell)));

            var plain = PlainTopicRead.Of(runner.KeptCluster!.ClientSettings);
            var journal = JournalReader.ReadRunDirectory(outcome.RunDirectory);
            // The acknowledgements are the client's own reports, journalled as they came.
            var acked = journal.History.Produced.Where(p => p.Status == ProduceStatus.Acked).Select(p => (p.Producer, p.Sequence)).ToList();
            var counts = cell.Counts;
            TestContext.Progress.WriteLine($"plain read: {plain.Records} records, {plain.Distinct.Count} distinct, {plain.ExtraCopies} extra copies; ledger: {counts}");

            Assert.That(plain.Distinct.Count, Is.EqualTo(counts.Sent - counts.Lost - counts.LostUnacked), "distinct messages in the log");
            Assert.That(plain.ExtraCopies, Is.EqualTo(counts.DuplicateWrites), "extra copies in the log");
            Assert.That(plain.Unreadable, Is.EqualTo(counts.Phantoms));
            Assert.That(acked.Count(m => !plain.Distinct.Contains(m)), Is.EqualTo(counts.Lost), "acknowledged messages the log does not hold");
            return (cell, plain, acked);
        }
        finally
        {
            if (runner.KeptCluster is { } kept)
            {
                await kept.DisposeAsync();
            }
        }
    }
}
