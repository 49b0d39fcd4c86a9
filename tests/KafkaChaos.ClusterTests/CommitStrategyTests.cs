using KafkaChaos.Experiments;
using KafkaChaos.Faults;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Workload;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// One real-cluster run per consumer commit strategy, with a consumer instance killed at the point where
/// that strategy is known to go wrong (or proven not to). Each asserts the anomaly the folklore names,
/// and that the others are absent.
/// </summary>
/// <remarks>
/// One broker and one replica: the fault is in the consumer, so the cluster only has to be there. The
/// crash is disposal without Close: no commit and no leaving the group, as when a process dies.
/// </remarks>
[Category("Cluster")]
public class CommitStrategyTests : RunDirectoryTest
{
    [Test]
    public async Task AutoCommit_KilledAfterABackgroundCommitPassedUnprocessedRecords_NeverProcessesThem()
    {
        var counts = await RunAsync(new ConsumerSpec { Commit = CommitStrategy.AutoCommit, AutoCommitIntervalMs = 200, BatchSize = 10 }, CrashPoint.AfterCommit);

        Assert.That(counts.Lost, Is.Zero, "the broker keeps everything: the loss is the consumer's");
        Assert.That(counts.NeverProcessed, Is.GreaterThan(0), "auto-commit committed records the dead consumer never processed");
        Assert.That(counts.NeverProcessed, Is.LessThanOrEqualTo(counts.Abandoned), "every unprocessed record was one the crash abandoned");
    }

    [Test]
    public async Task CommitBeforeProcess_KilledAfterCommit_NeverProcessesTheBatch()
    {
        var counts = await RunAsync(new ConsumerSpec { Commit = CommitStrategy.CommitBeforeProcess, BatchSize = 10 }, CrashPoint.AfterCommit);

        Assert.That(counts.Lost, Is.Zero, "the broker keeps everything: the loss is the consumer's");
        Assert.That(counts.NeverProcessed, Is.GreaterThan(0));
        Assert.That(counts.NeverProcessed, Is.InRange(1, 10), "at most the one committed batch (of up to 10) the crash cut short");
        Assert.That(counts.NeverProcessed, Is.EqualTo(counts.Abandoned));
        Assert.That(counts.Redeliveries, Is.Zero);
    }

    [Test]
    public async Task ProcessThenCommit_KilledBetweenProcessAndCommit_RedeliversAndLosesNothing()
    {
        var counts = await RunAsync(new ConsumerSpec { Commit = CommitStrategy.ProcessThenCommit, BatchSize = 10 }, CrashPoint.BetweenProcessAndCommit);

        Assert.That((counts.Lost, counts.NeverProcessed), Is.EqualTo((0L, (long?)0)));
        Assert.That(counts.Redeliveries, Is.GreaterThan(0), "the processed but uncommitted batch comes again");
        Assert.That(counts.RedeliveriesAfterRebalance, Is.EqualTo(counts.Redeliveries), "a new instance reads them again, not a rewind");
        Assert.That(counts.DuplicatesProcessed, Is.EqualTo(counts.Redeliveries + counts.DuplicateWrites));
    }

    [Test]
    public async Task ProcessThenCommit_KilledAfterCommit_HasNoAnomaly()
    {
        var counts = await RunAsync(new ConsumerSpec { Commit = CommitStrategy.ProcessThenCommit, BatchSize = 1 }, CrashPoint.AfterCommit);

        Assert.That((counts.Lost, counts.NeverProcessed, counts.Redeliveries, counts.DuplicatesProcessed), Is.EqualTo((0L, (long?)0, 0L, 0L)));
    }

    [Test]
    public async Task ProcessThenCommitAsync_KilledBetweenProcessAndCommit_LosesNothing()
    {
        var counts = await RunAsync(new ConsumerSpec { Commit = CommitStrategy.ProcessThenCommit, CommitAsync = true, AutoCommitIntervalMs = 500, BatchSize = 10 },
            CrashPoint.BetweenProcessAndCommit);

        Assert.That((counts.Lost, counts.NeverProcessed), Is.EqualTo((0L, (long?)0)));
        TestContext.Progress.WriteLine($"async commit: {counts.Redeliveries} redeliveries (stored offsets not yet committed when the consumer died)");
    }

    [Test]
    public async Task DedupStore_KilledBetweenProcessAndCommit_RedeliversButProcessesEachMessageOnce()
    {
        var counts = await RunAsync(new ConsumerSpec { Commit = CommitStrategy.ProcessThenCommit, BatchSize = 10, DedupStore = true },
            CrashPoint.BetweenProcessAndCommit);

        Assert.That((counts.Lost, counts.NeverProcessed), Is.EqualTo((0L, (long?)0)));
        Assert.That(counts.Redeliveries, Is.GreaterThan(0));
        Assert.That(counts.DuplicatesProcessed, Is.Zero, "the file-backed store skipped every redelivered message");
    }

    /// <summary>
    /// The store's own file, not the checker, says each message was marked once; the checker's duplicate
    /// count says how often one was processed twice. Marked in one step with the processing, a crash right
    /// after a record leaves nothing to redo; marked after it, the record the crash cut off is processed again.
    /// </summary>
    [TestCase(false, 0)]
    [TestCase(true, 1)]
    public async Task DedupStore_KilledRightAfterProcessingARecord_ProcessesItTwiceOnlyWhenTheMarkIsASeparateStep(bool markAfterProcessing, long duplicates)
    {
        var consumer = new ConsumerSpec { Commit = CommitStrategy.ProcessThenCommit, BatchSize = 10, DedupStore = true, DedupMarkAfterProcessing = markAfterProcessing };

        var counts = await RunAsync(consumer, CrashPoint.BetweenProcessAndMark, (run, cell) =>
        {
            var store = new FileInfo(Path.Combine(run, cell, DedupStore.FileName)); // a single spec runs in the run directory itself
            Assert.That(store.Length, Is.EqualTo(3_000 * 12), "every message marked in the store exactly once (12 bytes an entry)");
        });

        Assert.That((counts.Lost, counts.NeverProcessed), Is.EqualTo((0L, (long?)0)));
        Assert.That(counts.Redeliveries, Is.GreaterThan(0), "the crash came before the batch's commit");
        Assert.That(counts.DuplicatesProcessed, Is.EqualTo(duplicates));
    }

    private async Task<LedgerCounts> RunAsync(ConsumerSpec consumer, CrashPoint point, Action<string, string>? checkCellFiles = null)
    {
        var spec = ExperimentSpec.Default with
        {
            Name = $"{consumer.StrategyName}{(consumer.DedupStore ? consumer.DedupMarkAfterProcessing ? "+dedup-after" : "+dedup" : "")}-{EnumNames<CrashPoint>.ToName(point)}",
            Brokers = 1,
            Partitions = 3,
            ReplicationFactor = 1,
            MinInsyncReplicas = 1,
            Messages = 3_000,
            RatePerSecond = 1_000,
            Consumer = consumer,
            Faults = [new FaultSpec { Kind = FaultKinds.RestartConsumer, CrashPoint = point, When = new FaultTrigger(TimeSpan.FromSeconds(1)) }],
            DrainIdleTimeout = TimeSpan.FromSeconds(20),
        };
        var runner = new ExperimentRunner(ClusterEnvironment.Engine, TimeProvider.System, TestContext.Progress.WriteLine) { KeepCluster = true };
        RunOutcome outcome;
        PlainTopicRead plain;
        IReadOnlyDictionary<int, long> committed;
        try
        {
            outcome = await runner.RunAsync(spec, ClusterEnvironment.Image, ClusterEnvironment.Version, Runs, CancellationToken.None);
            plain = PlainTopicRead.Of(runner.KeptCluster!.ClientSettings);
            committed = GroupCommits.Of(runner.KeptCluster.ClientSettings, plain);
        }
        finally
        {
            if (runner.KeptCluster is { } kept)
            {
                await kept.DisposeAsync();
            }
        }

        var cell = outcome.Results.Cells.Single();
        checkCellFiles?.Invoke(outcome.RunDirectory, cell.Directory ?? "");
        var counts = cell.Counts;
        TestContext.Progress.WriteLine($"{spec.Name}: {counts}");
        Assert.That(outcome.Results.Status, Is.EqualTo(RunStatus.Completed));
        Assert.That(cell.Faults.Select(f => f.Phase), Is.EqualTo(new[] { FaultPhase.Start, FaultPhase.Verified, FaultPhase.End, FaultPhase.End }),
            "the consumer really was killed at the crash point");

        // Producing into a healthy broker: every send acked, nothing phantom, nothing reordered.
        Assert.That((counts.Sent, counts.Acked), Is.EqualTo((spec.Messages, spec.Messages)));
        Assert.That((counts.Phantoms, counts.OutOfOrder, counts.LostUnacked, counts.InconsistentOffsets), Is.EqualTo((0L, 0L, 0L, (long?)0)));
        Assert.That((counts.PollSkip, counts.NonmonotonicPoll, counts.RedeliveriesWithinAssignment), Is.EqualTo(((long?)0, (long?)0, (long?)0)),
            "each instance reads its partitions in order, without gaps, within each assignment");

        // The broker's side, read without the tool: every message stored once, so what the counts show is the consumer's doing.
        Assert.That((plain.Distinct.Count, plain.ExtraCopies, plain.Unreadable), Is.EqualTo((spec.Messages, counts.DuplicateWrites, 0L)));

        // The group's commits as the broker holds them, fetched by the test: the last instance committed every
        // partition to its end, and what the group committed past without any instance processing it is exactly
        // what the ledger calls never processed.
        TestContext.Progress.WriteLine($"the group committed {string.Join(", ", committed.OrderBy(c => c.Key).Select(c => $"p{c.Key}:{c.Value}/{plain.Ends[c.Key]}"))}");
        Assert.That(committed, Is.EquivalentTo(plain.Ends), "each partition's committed offset, read from the broker, is its end");
        var processed = JournalReader.ReadRunDirectory(outcome.RunDirectory).History.Consumed
            .Where(r => r.Kind == ConsumeKind.Processed).Select(r => (r.Producer, r.Sequence)).ToHashSet();
        var committedUnprocessed = plain.Positions.Where(p => p.Key.Offset < committed[p.Key.Partition] && !processed.Contains(p.Value)).Select(p => p.Value).ToHashSet();
        Assert.That(counts.NeverProcessed, Is.EqualTo(committedUnprocessed.Count), "stored messages behind the group's committed offsets that no instance processed");
        return counts;
    }
}
