using KafkaChaos.Ledger;
using NUnit.Framework;

namespace KafkaChaos.Tests.Ledger;

public class FateTimelineTests
{
    [Test]
    public void Check_PutsEachMessageInItsPartitionsLaneAtItsOutcomeTime_ByFate()
    {
        const long T = 1_700_000_000_000;
        var history = new HistoryBuilder()
            .Acked("p0", 0, 0, 0, ts: T).Acked("p0", 1, 1, 0, ts: T + 50)
            .Acked("p0", 2, 0, 1, ts: T + 2_000)                       // lost: acknowledged by partition 0, then gone
            .Acked("p0", 3, 1, 1, ts: T + 2_050).Unknown("p0", 4, ts: T + 3_000).Failed("p0", 5, ts: T + 3_100)
            .Consumed("p0", 0, 0, 0, ts: T + 10).Consumed("p0", 1, 1, 0, ts: T + 60).Consumed("p0", 3, 1, 1, ts: T + 2_060)
            .Consumed("p0", 3, 1, 2, ts: T + 9_999)                    // a second copy: duplicated
            .Consumed("p0", 4, 0, 2, ts: T + 3_010)                    // unknown, stored anyway
            .Build();

        var fates = LedgerChecker.Check(history).Fates!;

        Assert.That(fates.BucketMs, Is.EqualTo(100), "a 10 s span in at most 300 buckets of at least 100 ms");
        long Sum(int? partition, MessageFate fate) => fates.Buckets.Where(b => b.Partition == partition).Sum(b => b.Count(fate));
        Assert.That((Sum(0, MessageFate.Stored), Sum(0, MessageFate.Lost), Sum(1, MessageFate.Stored), Sum(1, MessageFate.Duplicated)), Is.EqualTo((1L, 1L, 1L, 1L)));
        Assert.That((Sum(null, MessageFate.UnackedStored), Sum(null, MessageFate.UnackedNotStored)), Is.EqualTo((1L, 1L)));
        var lost = fates.Buckets.Single(b => b.Lost > 0);
        Assert.That((lost.Partition, lost.StartMs), Is.EqualTo(((int?)0, T + 2_000)));
        Assert.That(fates.Partitions, Is.EqualTo(2));
    }
}
