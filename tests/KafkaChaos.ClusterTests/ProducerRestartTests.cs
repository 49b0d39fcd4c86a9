using KafkaChaos.Experiments;
using KafkaChaos.Faults;
using KafkaChaos.Journal;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>A producer killed mid-stream is replaced by a new identity that sends the rest of the schedule.</summary>
[Category("Cluster")]
public class ProducerRestartTests : RunDirectoryTest
{
    [Test]
    public async Task RestartProducer_MidStream_NewIdentitySendsTheRestAndEveryAttemptHasOneOutcome()
    {
        var spec = ExperimentSpec.Default with
        {
            Name = "restart-producer",
            Brokers = 1,
            ReplicationFactor = 1,
            MinInsyncReplicas = 1,
            Messages = 3_000,
            RatePerSecond = 1_000,
            Faults = [new FaultSpec { Kind = FaultKinds.RestartProducer, When = new FaultTrigger(TimeSpan.FromSeconds(1.5)) }],
            DrainIdleTimeout = TimeSpan.FromSeconds(20),
        };
        var runner = Runner;

        var outcome = await runner.RunAsync(spec, ClusterEnvironment.Image, ClusterEnvironment.Version, Runs, CancellationToken.None);

        var cell = outcome.Results.Cells.Single();
        var counts = cell.Counts;
        TestContext.Progress.WriteLine($"{spec.Name}: {counts}");
        Assert.That(cell.Faults.Select(f => f.Phase), Is.EqualTo(new[] { FaultPhase.Start, FaultPhase.Verified, FaultPhase.End, FaultPhase.End }));

        var produced = JournalReader.ReadRunDirectory(outcome.RunDirectory).History.Produced.ToList();
        var byProducer = produced.GroupBy(p => p.Producer).ToDictionary(g => g.Key, g => g.Select(p => p.Sequence).ToList());
        Assert.That(byProducer.Keys, Is.EquivalentTo(new[] { 0, 1 }), "two identities: p0, then p1");
        foreach (var sequences in byProducer.Values)
        {
            Assert.That(sequences.Order(), Is.EqualTo(Enumerable.Range(0, sequences.Count).Select(i => (long)i)), "each identity numbers its sends from 0, one outcome each");
        }

        Assert.That(counts.Sent, Is.EqualTo(spec.Messages), "the two identities together sent the whole schedule");
        Assert.That((counts.Lost, counts.Phantoms), Is.EqualTo((0L, 0L)));
        Assert.That(counts.FailedButStored, Is.Zero, "a definite failure is never stored");
    }

    [Test]
    public async Task RunAsync_FaultDueAfterTheWorkload_IsNotAppliedAndTheCellIsInvalid()
    {
        var spec = ExperimentSpec.Default with
        {
            Name = "fault-too-late",
            Brokers = 1,
            ReplicationFactor = 1,
            MinInsyncReplicas = 1,
            Messages = 1_000,
            RatePerSecond = 1_000,
            Faults = [new FaultSpec { Kind = FaultKinds.KillBroker, When = new FaultTrigger(TimeSpan.FromSeconds(60)) }],
            DrainIdleTimeout = TimeSpan.FromSeconds(20),
        };

        var outcome = await Runner.RunAsync(spec, ClusterEnvironment.Image, ClusterEnvironment.Version, Runs, CancellationToken.None);

        var cell = outcome.Results.Cells.Single();
        Assert.That(cell.Valid, Is.False, "no loss without the fault says nothing about the fault");
        Assert.That(cell.FaultsNotApplied.Single(), Does.Contain("the workload had already finished"));
        Assert.That(cell.Counts.Lost, Is.Zero);
    }
}
