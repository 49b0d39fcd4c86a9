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
public partial class FinalLogRecountTests : RunDirectoryTest
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

    [Test]
    public async Task RestartProducerWithResend_EveryUnknownSendIsInTheLogAndCopiesAgreeWithAPlainRead()
    {
        var spec = ExperimentSpec.Default with
        {
            Name = "restart-producer-resend",
            Brokers = 1,
            ReplicationFactor = 1,
            MinInsyncReplicas = 1,
            Messages = 6_000,
            RatePerSecond = 2_000,
            Keys = Workload.KeyStrategy.Sequence,
            Producer = new Dictionary<string, string>(ExperimentSpec.Default.Producer) { ["linger.ms"] = "20" },
            ResendUnknownOnRestart = true,
            Faults = [new FaultSpec { Kind = FaultKinds.RestartProducer, When = new FaultTrigger(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 2) }],
        };

        var (cell, plain, _) = await RunAndRecountAsync(spec);

        // What the killed identities journalled unknown, read from the journal as written, not from the ledger.
        var journal = JournalReader.ReadRunDirectory(Directory.GetDirectories(Runs).Single());
        var unknown = journal.History.Produced.Where(p => p.Status == ProduceStatus.Unknown).Select(p => (p.Producer, p.Sequence)).ToHashSet();
        TestContext.Progress.WriteLine($"{unknown.Count} sends unknown at the kills; resent {cell.Counts.Resent}, duplicate writes {cell.Counts.DuplicateWrites}");
        Assert.That(unknown, Is.Not.Empty, "a producer killed at 2,000 messages a second with linger.ms=20 has sends in flight");
        Assert.That(unknown.Where(m => !plain.Distinct.Contains(m)), Is.Empty, "on a healthy broker every resent unknown send is stored, under the killed identity's id and sequence");
        Assert.That(cell.Counts.LostUnacked, Is.Zero);
        Assert.That(cell.Counts.Resent, Is.GreaterThanOrEqualTo(unknown.Count));
    }

    [Test]
    public async Task Interrupted_EveryMessageInTheTopicHasAnOutcomeInTheJournal()
    {
        // The leader is killed first, so that thousands of sends wait in the client's queue when Ctrl-C comes.
        var spec = ExperimentSpec.Default with
        {
            Messages = 100_000,
            RatePerSecond = 3_000,
            Faults = [new FaultSpec { Kind = FaultKinds.KillLeader, Partition = 0, When = new FaultTrigger(TimeSpan.FromSeconds(1)), Duration = TimeSpan.FromSeconds(30) }],
        };
        var queued = new TaskCompletionSource();
        var runner = new ExperimentRunner(ClusterEnvironment.Engine, TimeProvider.System, line =>
        {
            TestContext.Progress.WriteLine(line);
            if (AwaitingAcks().Match(line) is { Success: true } awaiting && long.Parse(awaiting.Groups[1].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture) >= 1_000)
            {
                queued.TrySetResult();
            }
        })
        { KeepCluster = true };
        using var interrupt = new CancellationTokenSource();
        try
        {
            var run = runner.RunAsync(spec, ClusterEnvironment.Image, ClusterEnvironment.Version, Runs, interrupt.Token);
            var journalPath = "";
            while (!Directory.EnumerateFiles(Runs, JournalWriter.FileName, SearchOption.AllDirectories).Any(f => File.ReadAllText(journalPath = f).Contains("\"verified\"", StringComparison.Ordinal)))
            {
                Assert.That(run.IsCompleted, Is.False, "the run ended before the fault was verified");
                await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
            }

            // Ctrl-C once the client's own progress says a thousand sends await their outcome.
            await Task.WhenAny(queued.Task, run).WaitAsync(TimeSpan.FromMinutes(1), TimeProvider.System);
            Assert.That(run.IsCompleted, Is.False, "the run ended before sends queued up behind the killed leader");
            await interrupt.CancelAsync();
            await Assert.CatchAsync<OperationCanceledException>(async () => await run);

            var journal = JournalReader.ReadRunDirectory(Path.GetDirectoryName(journalPath)!);
            var outcomes = journal.History.Produced.Select(p => (p.Producer, p.Sequence)).ToHashSet();
            var plain = PlainTopicRead.Of(runner.KeptCluster!.ClientSettings);
            var byStatus = journal.History.Produced.GroupBy(p => p.Status).ToDictionary(g => g.Key, g => g.Count());
            TestContext.Progress.WriteLine($"interrupted: {outcomes.Count} outcomes journalled ({string.Join(", ", byStatus.Select(b => $"{b.Key} {b.Value}"))}), the topic holds {plain.Distinct.Count} messages");
            Assert.That(journal.EndStatus, Is.EqualTo(RunStatus.Interrupted));
            Assert.That(plain.Distinct.Where(m => !outcomes.Contains(m)), Is.Empty, "messages the broker stored that the journal has no outcome for");
            Assert.That(outcomes.Count, Is.EqualTo(outcomes.Max(o => o.Sequence) + 1), "every sequence up to the last attempt has its one outcome");
        }
        finally
        {
            if (runner.KeptCluster is { } kept)
            {
                await kept.DisposeAsync();
            }
        }
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
            Assert.That((cell.Status, cell.Valid, cell.JudgedOnFinalLog), Is.EqualTo((RunStatus.Completed, true, true)), string.Join("; ", Reports.InvalidReasons(cell)));

            var plain = PlainTopicRead.Of(runner.KeptCluster!.ClientSettings);
            var journal = JournalReader.ReadRunDirectory(outcome.RunDirectory);
            // The acknowledgements are the client's own reports, journalled as they came.
            var acked = journal.History.Produced.Where(p => p.Status == ProduceStatus.Acked).Select(p => (p.Producer, p.Sequence)).Distinct().ToList();
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

    [System.Text.RegularExpressions.GeneratedRegex(@"awaiting ([0-9,]+)")]
    private static partial System.Text.RegularExpressions.Regex AwaitingAcks();
}
