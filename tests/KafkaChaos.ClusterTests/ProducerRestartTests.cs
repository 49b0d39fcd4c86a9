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
        var (outcome, plain, _) = await RunKeptAsync(spec);

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

        // The topic, read plainly: both identities' messages are there, and every send either one had acknowledged.
        var acked = produced.Where(p => p.Status == ProduceStatus.Acked).Select(p => (p.Producer, p.Sequence)).ToList();
        Assert.That(plain.Distinct.Select(m => m.Producer).Distinct().Order(), Is.EqualTo(new[] { 0, 1 }), "the log holds messages of both identities");
        Assert.That(acked.Where(m => !plain.Distinct.Contains(m)), Is.Empty, "every acknowledged send is in the log");
        Assert.That(plain.Distinct.Count, Is.EqualTo(counts.Sent - counts.LostUnacked), "distinct messages in the log");
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

        var (outcome, plain, deaths) = await RunKeptAsync(spec);

        var cell = outcome.Results.Cells.Single();
        Assert.That(cell.Valid, Is.False, "no loss without the fault says nothing about the fault");
        Assert.That(cell.FaultsNotApplied.Single(), Does.Contain("the workload had already finished"));
        Assert.That(deaths, Is.Zero, "the engine's event log shows the broker's process never ended");
        Assert.That(plain.Distinct.Count, Is.EqualTo(spec.Messages), "the topic, read plainly, holds every message");
        Assert.That(cell.Counts.Lost, Is.Zero);
    }

    /// <summary>Runs <paramref name="spec"/> with its cluster kept, and reads what the test itself can of it: the topic, and how often the engine saw a broker's process end.</summary>
    private async Task<(RunOutcome Outcome, PlainTopicRead Plain, int BrokerDeaths)> RunKeptAsync(ExperimentSpec spec)
    {
        var runner = new ExperimentRunner(ClusterEnvironment.Engine, TimeProvider.System, TestContext.Progress.WriteLine) { KeepCluster = true };
        try
        {
            var outcome = await runner.RunAsync(spec, ClusterEnvironment.Image, ClusterEnvironment.Version, Runs, CancellationToken.None);
            var kept = runner.KeptCluster!;
            var witness = new ClusterWitness(ClusterEnvironment.Engine.Client, kept.ClientSettings, kept.ZooKeeperConnect);
            var deaths = 0;
            foreach (var broker in kept.Brokers)
            {
                deaths += await witness.DeathsAsync(broker.ContainerId);
            }

            return (outcome, PlainTopicRead.Of(kept.ClientSettings), deaths);
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
