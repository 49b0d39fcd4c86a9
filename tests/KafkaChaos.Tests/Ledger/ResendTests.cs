using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using NUnit.Framework;

namespace KafkaChaos.Tests.Ledger;

/// <summary>
/// restart-producer with <c>resend: unknown</c> journals a second outcome for one message: the checker
/// counts the message once, with the outcome that binds, and judges it against the final log.
/// </summary>
public class ResendTests
{
    [Test]
    public void Check_UnknownThenResentAndStoredTwice_IsOneAckedMessageAndOneDuplicateWrite()
    {
        // p0's sequence 1 was in flight at the kill and stored (offset 1); p1 resent it, acked at offset 3.
        var history = Final(new HistoryBuilder()
                .Acked("p0", 0, 0, 0).Unknown("p0", 1).Acked("p1", 0, 0, 2).Acked("p0", 1, 0, 3)
                .Consumed("p0", 0, 0, 0).Consumed("p0", 1, 0, 1).Consumed("p1", 0, 0, 2).Consumed("p0", 1, 0, 3),
            (0, "p0", 0), (1, "p0", 1), (2, "p1", 0), (3, "p0", 1));

        var counts = LedgerChecker.Check(history).Counts;

        Assert.That((counts.Sent, counts.Acked, counts.Unknown, counts.Resent, counts.DuplicateWrites, counts.Lost, counts.UnackedButDelivered),
            Is.EqualTo((3L, 3L, 0L, 1L, 1L, 0L, 0L)));
    }

    [Test]
    public void Check_ResendAckedButMissingFromLog_IsLost()
    {
        var history = Final(new HistoryBuilder().Unknown("p0", 0).Acked("p0", 0, 0, 0), []);

        var verdict = LedgerChecker.Check(history);

        Assert.That((verdict.Counts.Sent, verdict.Counts.Acked, verdict.Counts.Lost, verdict.Counts.LostUnacked), Is.EqualTo((1L, 1L, 1L, 0L)));
        Assert.That(verdict.Examples["lost"].Single().Sequence, Is.EqualTo(0));
    }

    [Test]
    public void Check_UnknownThenResendFailed_StaysUnknownAndStoredIsNotAFailureStored()
    {
        // The first attempt may have been stored, and was: the failed resend does not make that a broken contract.
        var history = Final(new HistoryBuilder().Unknown("p0", 0).Failed("p0", 0).Consumed("p0", 0, 0, 0), (0, "p0", 0));

        var counts = LedgerChecker.Check(history).Counts;

        Assert.That((counts.Sent, counts.Failed, counts.Unknown, counts.FailedButStored, counts.UnackedButDelivered, counts.Resent),
            Is.EqualTo((1L, 0L, 1L, 0L, 1L, 1L)));
    }

    [Test]
    public void Check_ResentTwiceAfterTwoKills_TakesTheAcknowledgementWhicheverComesFirst()
    {
        var history = Final(new HistoryBuilder().Unknown("p0", 0).Acked("p0", 0, 0, 0).Unknown("p0", 0).Consumed("p0", 0, 0, 0), (0, "p0", 0));

        var counts = LedgerChecker.Check(history).Counts;

        Assert.That((counts.Sent, counts.Acked, counts.Unknown, counts.Resent, counts.Lost), Is.EqualTo((1L, 1L, 0L, 2L, 0L)));
    }

    /// <summary>Adds a complete final read of partition 0 holding (offset, producer, sequence) records.</summary>
    private static History Final(HistoryBuilder builder, params (long Offset, string Producer, long Sequence)[] log)
    {
        var history = builder.Build();
        var names = history.ProducerNames!.ToList();
        return history with
        {
            FinalRead = log.Select(r => new ConsumedRecord(0, names.IndexOf(r.Producer), r.Sequence, 0, r.Offset, 0, ConsumeKind.FinalRead)).ToArray(),
            FinalReadEnd = new FinalReadSummary(true, new Dictionary<int, long> { [0] = log.Length == 0 ? 0 : log.Max(r => r.Offset) + 1 }, log.Length, ""),
        };
    }
}
