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
            .Consumed("p0", 0, 0, 0).Consumed("p0", 0, 0, 0, consumer: "c1").Consumed("p0", 0, 0, 0)
            .Build();

        var counts = LedgerChecker.Check(history).Counts;

        Assert.That((counts.Redeliveries, counts.DuplicateWrites, counts.Consumed), Is.EqualTo((2L, 0L, 3L)));
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
            .Consumed("p0", 0, 0, 1).Consumed("p0", 1, 0, 0).Consumed("p0", 2, 0, 2)
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
        var history = new History(
            [new ProduceOutcome("p0", 0, ProduceStatus.Acked, 0, null, 0)],
            [new ConsumedRecord("c0", "p0", 0, 0, 7, 0)],
            []);

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
}
