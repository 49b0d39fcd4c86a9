using KafkaChaos.Experiments;
using KafkaChaos.Faults;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// The walking-skeleton experiment on a real 3-broker cluster. It asserts what must hold whatever the
/// broker does — the ledger adds up and agrees with the journal — and not a hoped-for "no loss".
/// </summary>
[Category("Cluster")]
public class LeaderKillExperimentTests : RunDirectoryTest
{
    [Test]
    public async Task RunAsync_LeaderKilledMidProduce_LedgerIsConsistentWithItsJournal()
    {
        var spec = ExperimentSpec.Default with
        {
            Messages = 6_000,
            RatePerSecond = 1_500,
            Faults = [new FaultSpec { Kind = FaultKinds.KillLeader, Partition = 0, When = new FaultTrigger(TimeSpan.FromSeconds(1.5)), Duration = TimeSpan.FromSeconds(3) }],
        };
        var runner = Runner;

        var outcome = await runner.RunAsync(spec, ClusterEnvironment.Image, ClusterEnvironment.Version, Runs, CancellationToken.None);

        var cell = outcome.Results.Cells.Single();
        var counts = cell.Counts;
        TestContext.Progress.WriteLine($"verdict: {counts}");
        Assert.That(outcome.Results.Status, Is.EqualTo("completed"));

        // The fault really happened: the leader was killed and a new leader was seen.
        Assert.That(cell.Faults.Select(f => f.Phase), Is.EqualTo(new[] { FaultPhase.Start, FaultPhase.Verified, FaultPhase.End, FaultPhase.End }));
        Assert.That(cell.Faults[^1].Fault, Is.EqualTo("heal-all"));
        Assert.That(cell.Valid, Is.True);

        // Every attempt has exactly one outcome, and the ledger's parts add up.
        Assert.That(counts.Sent, Is.EqualTo(spec.Messages));
        Assert.That(counts.Acked + counts.Failed + counts.Unknown, Is.EqualTo(counts.Sent));
        Assert.That(counts.LostUnacked + counts.UnackedButDelivered, Is.EqualTo(counts.Failed + counts.Unknown));
        Assert.That(counts.Lost, Is.LessThanOrEqualTo(counts.Acked));

        // Every consumed record was sent by this run: nothing else writes to the run's topic.
        Assert.That(counts.Phantoms, Is.Zero);

        // The journal alone gives the same verdict, and it matches what it records message by message.
        var journal = JournalReader.ReadRunDirectory(outcome.RunDirectory);
        Assert.That(journal.EndStatus, Is.EqualTo("completed"));
        Assert.That(LedgerChecker.Check(journal.History).Counts, Is.EqualTo(counts));
        Assert.That(ResultsJson.Read(outcome.RunDirectory)!.Cells.Single().Counts, Is.EqualTo(counts));

        // A naive recount with hash sets over the whole history agrees with the streaming checker.
        var consumed = journal.History.Consumed.ToList();
        var consumedKeys = consumed.Select(r => (r.Producer, r.Sequence)).ToHashSet();
        var ackedNeverConsumed = journal.History.Produced.Count(p => p.Status == ProduceStatus.Acked && !consumedKeys.Contains((p.Producer, p.Sequence)));
        Assert.That(counts.Lost, Is.EqualTo(ackedNeverConsumed));
        var extraDeliveries = consumed.Count - consumed.Select(r => (r.Partition, r.Offset)).Distinct().Count();
        Assert.That(counts.Redeliveries, Is.EqualTo(extraDeliveries));
        Assert.That(consumed.All(r => r.Sequence >= 0 && r.Sequence < spec.Messages), Is.True);
    }

    [Test]
    public async Task RunAsync_CancelledMidProduce_TearsDownAndKeepsAnInterruptedJournal()
    {
        var spec = ExperimentSpec.Default with { Messages = 100_000, RatePerSecond = 2_000 };
        var runner = Runner;
        using var interrupt = new CancellationTokenSource();
        var run = runner.RunAsync(spec, ClusterEnvironment.Image, ClusterEnvironment.Version, Runs, interrupt.Token);
        while (!Directory.EnumerateFiles(Runs, JournalWriter.ProducedFileName, SearchOption.AllDirectories).Any(f => new FileInfo(f).Length > 0))
        {
            Assert.That(run.IsCompleted, Is.False, "the run ended before it produced anything");
            await Task.Delay(200);
        }

        await interrupt.CancelAsync();

        await Assert.CatchAsync<OperationCanceledException>(async () => await run);
        var runDirectory = ClusterEnvironment.RunDirectoryIn(Runs);
        var journal = JournalReader.ReadRunDirectory(runDirectory);
        Assert.That(journal.EndStatus, Is.EqualTo("interrupted"));
        Assert.That(journal.History.Produced, Is.Not.Empty);
        Assert.That(ResultsJson.Read(runDirectory)!.Status, Is.EqualTo("interrupted"));
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }
}
