using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using NUnit.Framework;

namespace KafkaChaos.Tests.Ledger;

public class LedgerCheckerTests
{
    [Test]
    public void Check_CleanHistory_HasNoAnomalies()
    {
        var history = new HistoryBuilder()
            .Acked("p0", 0, 0, 0).Acked("p0", 1, 0, 1).Acked("p0", 2, 1, 0)
            .Consumed("p0", 0, 0, 0).Consumed("p0", 1, 0, 1).Consumed("p0", 2, 1, 0)
            .Build();

        var counts = LedgerChecker.Check(history).Counts;

        Assert.That(counts, Is.EqualTo(new LedgerCounts { Sent = 3, Acked = 3, Consumed = 3 }));
    }

    [Test]
    public void Check_AckedNeverConsumed_IsLostWithExampleAndNearestFault()
    {
        var history = new HistoryBuilder()
            .Acked("p0", 0, 0, 0, ts: 1000).Acked("p0", 1, 0, 1, ts: 2000)
            .Consumed("p0", 0, 0, 0)
            .Fault("kill-leader", FaultPhase.Start, 1900)
            .Build();

        var verdict = LedgerChecker.Check(history);

        Assert.That(verdict.Counts.Lost, Is.EqualTo(1));
        var example = verdict.Examples["lost"].Single();
        Assert.That((example.Producer, example.Sequence, example.Partition, example.Offset), Is.EqualTo(("p0", 1L, 0, 1L)));
        Assert.That(example.NearestFault, Is.EqualTo("kill-leader start on broker-1, 100 ms before"));
    }

    [Test]
    public void Check_UnackedOutcomes_SplitIntoLostUnackedAndUnackedButDelivered()
    {
        var history = new HistoryBuilder()
            .Failed("p0", 0).Unknown("p0", 1).Unknown("p0", 2)
            .Consumed("p0", 2, 0, 5)
            .Build();

        var counts = LedgerChecker.Check(history).Counts;

        Assert.That((counts.Failed, counts.Unknown, counts.LostUnacked, counts.UnackedButDelivered, counts.Lost),
            Is.EqualTo((1L, 2L, 2L, 1L, 0L)));
    }

    [Test]
    public void Check_SameSequenceAtTwoOffsets_IsOneDuplicateWrite()
    {
        var history = new HistoryBuilder()
            .Acked("p0", 0, 0, 1)
            .Consumed("p0", 0, 0, 0).Consumed("p0", 0, 0, 1)
            .Build();

        var counts = LedgerChecker.Check(history).Counts;

        Assert.That((counts.DuplicateWrites, counts.Redeliveries), Is.EqualTo((1L, 0L)));
    }

    [Test]
    public void Check_SameOffsetProcessedThreeTimes_IsTwoRedeliveries()
    {
        var history = new HistoryBuilder()
            .Acked("p0", 0, 0, 0)
            .Consumed("p0", 0, 0, 0).Consumed("p0", 0, 0, 0, consumer: 1).Consumed("p0", 0, 0, 0)
            .Build();

        var counts = LedgerChecker.Check(history).Counts;

        Assert.That((counts.Redeliveries, counts.DuplicateWrites, counts.Consumed, counts.DuplicatesProcessed), Is.EqualTo((2L, 0L, 3L, 2L)));
    }

    [Test]
    public void Check_UnknownSequenceAndGarbage_ArePhantoms()
    {
        var history = new HistoryBuilder()
            .Acked("p0", 0, 0, 0)
            .Consumed("p0", 0, 0, 0).Consumed("p0", 99, 0, 1).Consumed("p9", 0, 0, 2).Garbage(0, 3)
            .Build();

        Assert.That(LedgerChecker.Check(history).Counts.Phantoms, Is.EqualTo(3));
    }

    [Test]
    public void Check_LaterSequenceStoredFirst_IsOutOfOrder()
    {
        var history = new HistoryBuilder()
            .Acked("p0", 0, 0, 1).Acked("p0", 1, 0, 0).Acked("p0", 2, 0, 2)
            .Consumed("p0", 1, 0, 0).Consumed("p0", 0, 0, 1).Consumed("p0", 2, 0, 2)
            .Build();

        var verdict = LedgerChecker.Check(history);

        Assert.That(verdict.Counts.OutOfOrder, Is.EqualTo(1));
        Assert.That(verdict.Examples["out_of_order"].Single().Sequence, Is.EqualTo(0));
    }

    [Test]
    public void Check_RetriedDuplicateAfterLaterSequence_IsNotAlsoOutOfOrder()
    {
        // seq 0 stored at 0, seq 1 at 1, then a retry of seq 0 lands at 2: a duplicate, not a reordering.
        var history = new HistoryBuilder()
            .Acked("p0", 0, 0, 0).Acked("p0", 1, 0, 1)
            .Consumed("p0", 0, 0, 0).Consumed("p0", 1, 0, 1).Consumed("p0", 0, 0, 2)
            .Build();

        var counts = LedgerChecker.Check(history).Counts;

        Assert.That((counts.DuplicateWrites, counts.OutOfOrder), Is.EqualTo((1L, 0L)));
    }

    [Test]
    public void Check_AcksZeroWithoutOffsets_CountsPositionsFromConsumersOnly()
    {
        var history = new HistoryBuilder().AckedWithoutPosition("p0", 0).Consumed("p0", 0, 0, 7).Build();

        var counts = LedgerChecker.Check(history).Counts;

        Assert.That((counts.Lost, counts.DuplicateWrites), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public void Check_ManyAnomalies_KeepsAtMostTwentyExamples()
    {
        var builder = new HistoryBuilder();
        for (var seq = 0; seq < 50; seq++)
        {
            builder.Acked("p0", seq, 0, seq);
        }

        var verdict = LedgerChecker.Check(builder.Build());

        Assert.That(verdict.Counts.Lost, Is.EqualTo(50));
        Assert.That(verdict.Examples["lost"], Has.Count.EqualTo(LedgerChecker.MaxExamples));
        Assert.That(verdict.Examples["lost"].Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(0, 20).Select(i => (long?)i)));
    }

    [Test]
    public void Check_AckedCopyNeverReadButAnotherCopyWas_IsADuplicateWriteNotALoss()
    {
        // Acked at offset 4, which the group skipped; a retried copy at offset 5 was read.
        var history = new HistoryBuilder().Acked("p0", 0, 0, 4).Consumed("p0", 0, 0, 5).Build();

        var counts = LedgerChecker.Check(history).Counts;

        Assert.That((counts.Lost, counts.DuplicateWrites), Is.EqualTo((0L, 1L)));
    }

    [Test]
    public void Check_AbandonedDelivery_IsNotConsumption()
    {
        // Auto-commit loss: handed to the consumer, offset committed, processing cut short by a crash.
        var history = new HistoryBuilder()
            .Acked("p0", 0, 0, 0).Acked("p0", 1, 0, 1)
            .Consumed("p0", 0, 0, 0).Consumed("p0", 1, 0, 1, kind: ConsumeKind.Abandoned)
            .Build();

        var counts = LedgerChecker.Check(history).Counts;

        Assert.That((counts.Lost, counts.Abandoned, counts.Consumed), Is.EqualTo((1L, 1L, 1L)));
    }

    [Test]
    public void Check_RedeliverySkippedByDedupStore_IsARedeliveryButNoDuplicateProcessing()
    {
        var history = new HistoryBuilder()
            .Acked("p0", 0, 0, 0)
            .Consumed("p0", 0, 0, 0).Consumed("p0", 0, 0, 0, consumer: 1, kind: ConsumeKind.DuplicateSkipped)
            .Build();

        var counts = LedgerChecker.Check(history).Counts;

        Assert.That((counts.Redeliveries, counts.DuplicatesProcessed, counts.Lost), Is.EqualTo((1L, 0L, 0L)));
    }

    [Test]
    public void Check_Timeline_CountsOutcomesAndConsumptionPerSecond()
    {
        var history = new HistoryBuilder()
            .Acked("p0", 0, 0, 0, ts: 10_100).Acked("p0", 1, 0, 1, ts: 10_900).Failed("p0", 2, ts: 12_000)
            .Consumed("p0", 0, 0, 0, ts: 11_000).Consumed("p0", 1, 0, 1, ts: 11_500)
            .Build();

        var timeline = LedgerChecker.Check(history).Timeline;

        Assert.That(timeline, Is.EqualTo(new[]
        {
            new ThroughputSecond(10, 2, 0, 0, 0),
            new ThroughputSecond(11, 0, 0, 0, 2),
            new ThroughputSecond(12, 0, 1, 0, 0),
        }));
    }

    [Test]
    public void Check_TenMillionMessagesStreamed_CountsExactly()
    {
        // Generated on the fly, never held: the checker must stream both sides more than once.
        const long Messages = 10_000_000;
        static IEnumerable<ProduceOutcome> Produced()
        {
            for (long seq = 0; seq < Messages; seq++)
            {
                yield return new ProduceOutcome(0, seq, ProduceStatus.Acked, (int)(seq % 3), seq / 3, seq / 1000);
            }
        }

        static IEnumerable<ConsumedRecord> Consumed()
        {
            for (long seq = 0; seq < Messages; seq++)
            {
                if (seq is 17 or 5_000_000 or Messages - 1)
                {
                    continue; // lost
                }

                yield return new ConsumedRecord(0, 0, seq, (int)(seq % 3), seq / 3, seq / 1000);
                if (seq is 42 or 4_242_424)
                {
                    yield return new ConsumedRecord(0, 0, seq, (int)(seq % 3), seq / 3, seq / 1000); // redelivered
                }
            }
        }

        var verdict = LedgerChecker.Check(new History(Produced(), Consumed(), []));

        Assert.That(verdict.Counts, Is.EqualTo(new LedgerCounts
        {
            Sent = Messages, Acked = Messages, Consumed = Messages - 3 + 2, Lost = 3, Redeliveries = 2, DuplicatesProcessed = 2,
        }));
        Assert.That(verdict.Examples["lost"].Select(e => e.Sequence), Is.EqualTo(new long?[] { 17, 5_000_000, Messages - 1 }));
    }
}
