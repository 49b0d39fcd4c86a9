using KafkaChaos.Journal;
using KafkaChaos.Workload;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace KafkaChaos.Tests.Workload;

/// <summary>
/// Every commit strategy killed at every crash point, on a client over records held in memory and a fake
/// clock: one partition of 10 records, batches of 4, the first instance killed in its first batch, a second
/// one started in its place that reads on from what the group committed. Each case states exactly which
/// offsets the first processed and abandoned, what it left committed, and what the second then processed:
/// the at-most-once and at-least-once rules of article 005, as the consumer's own loop keeps them.
/// </summary>
public class CommitStrategyCrashTests : TemporaryDirectoryTest
{
    private const int Records = 10;
    private static readonly Guid RunId = Guid.NewGuid();

    /// <summary>(strategy, async, point, first processed, first abandoned, committed at the crash, second processed).</summary>
    private static IEnumerable<TestCaseData> Cases()
    {
        static TestCaseData Case(CommitStrategy strategy, bool async, CrashPoint point, string processed, string abandoned, long? committed, string then, string what) =>
            new TestCaseData(strategy, async, point, Offsets(processed), Offsets(abandoned), committed, Offsets(then))
                .SetArgDisplayNames($"{CommitStrategyNames.ToName(strategy, async)} {EnumNames<CrashPoint>.ToName(point)}: {what}");

        // Commit before process: at most once. The batch is committed before any of it is processed.
        yield return Case(CommitStrategy.CommitBeforeProcess, false, CrashPoint.AfterCommit, "", "0-3", 4, "4-9", "the committed batch is lost");
        yield return Case(CommitStrategy.CommitBeforeProcess, false, CrashPoint.BetweenProcessAndMark, "0", "1-3", 4, "4-9", "the rest of the batch is lost");
        yield return Case(CommitStrategy.CommitBeforeProcess, false, CrashPoint.BetweenProcessAndCommit, "0-3", "", 4, "4-9", "each once");

        // Process, then commit synchronously: at least once. What was processed and not committed comes again.
        yield return Case(CommitStrategy.ProcessThenCommit, false, CrashPoint.BetweenProcessAndCommit, "0-3", "", null, "0-9", "the batch comes again");
        yield return Case(CommitStrategy.ProcessThenCommit, false, CrashPoint.BetweenProcessAndMark, "0", "1-3", null, "0-9", "the processed record comes again");
        yield return Case(CommitStrategy.ProcessThenCommit, false, CrashPoint.AfterCommit, "0-3", "", 4, "4-9", "each once");

        // Process, then store the offsets for a background commit: the commit in flight dies with the process.
        yield return Case(CommitStrategy.ProcessThenCommit, true, CrashPoint.BetweenProcessAndCommit, "0-3", "", null, "0-9", "the batch comes again");
        yield return Case(CommitStrategy.ProcessThenCommit, true, CrashPoint.AfterCommit, "0-3", "", null, "0-9", "stored, not yet committed: the batch comes again");

        // Auto-commit: offsets are stored as records are polled and committed in the background, ahead of processing.
        yield return Case(CommitStrategy.AutoCommit, false, CrashPoint.AfterCommit, "", "0-3", 4, "4-9", "committed ahead of processing: the batch is lost");
        yield return Case(CommitStrategy.AutoCommit, false, CrashPoint.BetweenProcessAndMark, "0", "1-3", 3, "3-9", "polled past: two records lost");
        yield return Case(CommitStrategy.AutoCommit, false, CrashPoint.BetweenProcessAndCommit, "0-3", "", 3, "3-9", "the last polled comes again");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Crash_ThenARestart_ProcessesAndCommitsExactly(CommitStrategy strategy, bool async, CrashPoint point,
        long[] firstProcessed, long[] firstAbandoned, long? committedAtCrash, long[] secondProcessed)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        var topic = new InMemoryTopic("t", RunId, partitions: 1, messagesPerPartition: Records);
        var spec = new ConsumerSpec { Commit = strategy, CommitAsync = async, BatchSize = 4 };
        var config = ConsumerGroup.CommitSettings(spec);
        var group = new GroupProgress();
        using (var journal = new JournalWriter(TestDirectory, time))
        {
            journal.WriteRunStarted("commit-strategies", 0, new Dictionary<string, string>());
            using (var first = new VerifyingConsumer(1, RunId, topic.Name, spec, config, journal, null, group.Join(), time, _ => { }, topic))
            {
                var crashed = first.CrashAsync(point);
                first.Start();
                var what = await crashed.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
                Assert.That(what, Does.Contain(EnumNames<CrashPoint>.ToName(point)));
            }

            Assert.That(topic.Committed.TryGetValue(0, out var c) ? c : (long?)null, Is.EqualTo(committedAtCrash), "committed when the first instance died");
            var deliveredBefore = topic.Delivered;
            using (var second = new VerifyingConsumer(2, RunId, topic.Name, spec, config, journal, null, group.Join(), time, _ => { }, topic))
            {
                second.Start();
                WaitUntil(() => topic.Delivered - deliveredBefore == secondProcessed.Length, "the second instance was handed the rest of the partition");
            }

            Assert.That(topic.Committed[0], Is.EqualTo(Records), "a graceful close leaves the whole partition committed");
        }

        var consumed = JournalReader.ReadRunDirectory(TestDirectory).History.Consumed.Where(r => r.Offset >= 0).ToList();
        Assert.That(Of(consumed, 1, ConsumeKind.Processed), Is.EqualTo(firstProcessed), "processed by the first instance");
        Assert.That(Of(consumed, 1, ConsumeKind.Abandoned), Is.EqualTo(firstAbandoned), "abandoned by the first instance");
        Assert.That(Of(consumed, 2, ConsumeKind.Processed), Is.EqualTo(secondProcessed), "processed by the second instance");
        Assert.That(consumed.Where(r => r.Kind == ConsumeKind.Processed).All(r => r.Sequence == r.Offset && r.Producer == 0), Is.True, "each journalled record is the envelope at its offset");
    }

    [Test]
    public async Task WorkerQueue_CrashBetweenProcessAndCommit_AbandonsNothingHandedOver_AndTheBatchComesAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        var topic = new InMemoryTopic("t", RunId, partitions: 1, messagesPerPartition: Records);
        var spec = new ConsumerSpec { Commit = CommitStrategy.ProcessThenCommit, BatchSize = 4, WorkerQueue = true };
        using (var journal = new JournalWriter(TestDirectory, time))
        {
            journal.WriteRunStarted("worker-queue", 0, new Dictionary<string, string>());
            using var first = new VerifyingConsumer(1, RunId, topic.Name, spec, ConsumerGroup.CommitSettings(spec), journal, null, new GroupProgress().Join(), time, _ => { }, topic);
            var crashed = first.CrashAsync(CrashPoint.BetweenProcessAndCommit);
            first.Start();
            await crashed.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        }

        var consumed = JournalReader.ReadRunDirectory(TestDirectory).History.Consumed.Where(r => r.Offset >= 0).ToList();
        // Handed to the worker counts as done for the poll loop; the worker, with processing time 0, had them all
        // processed or abandoned when the process died, and the group committed none of them.
        Assert.That(Of(consumed, 1, ConsumeKind.Processed).Concat(Of(consumed, 1, ConsumeKind.Abandoned)).Order(), Is.EqualTo(Offsets("0-3")));
        Assert.That(topic.Committed, Is.Empty);
    }

    private static long[] Of(IEnumerable<ConsumedRecord> consumed, int consumer, ConsumeKind kind) =>
        [.. consumed.Where(r => r.Consumer == consumer && r.Kind == kind).Select(r => r.Offset).Order()];

    private static long[] Offsets(string range)
    {
        if (range.Length == 0)
        {
            return [];
        }

        var parts = range.Split('-');
        var (from, to) = (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture));
        return [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(o => (long)o)];
    }

    /// <summary>Yields until <paramref name="condition"/> holds; the bound is on real time only so that a broken loop fails instead of hanging.</summary>
    private static void WaitUntil(Func<bool> condition, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.That(TimeProvider.System.GetElapsedTime(started), Is.LessThan(TimeSpan.FromSeconds(30)), what);
            Thread.Yield();
        }
    }
}
