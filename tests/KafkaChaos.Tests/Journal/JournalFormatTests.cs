using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using NUnit.Framework;

namespace KafkaChaos.Tests.Journal;

/// <summary>Journal format 2 (the final read, assignment changes, the group's drain) and the format-1 journals it must still read.</summary>
public class JournalFormatTests : TemporaryDirectoryTest
{
    [Test]
    public void ReadRunDirectory_FinalReadAssignmentsAndDrain_ComeBackIdentical()
    {
        var assigned = new ConsumedRecord(0, -1, -1, 1, -1, 1_000, ConsumeKind.Assigned);
        var read = new ConsumedRecord(0, 0, 7, 1, 40, 1_001);
        var revoked = new ConsumedRecord(0, -1, -1, 1, -1, 1_002, ConsumeKind.Revoked);
        var final = new ConsumedRecord(0, 0, 7, 1, 40, 2_000, ConsumeKind.FinalRead);
        var finalPhantom = new ConsumedRecord(0, -1, -1, 1, 41, 2_001, ConsumeKind.Unreadable);
        using (var writer = new JournalWriter(TestDirectory, TimeProvider.System))
        {
            writer.WriteRunStarted("run-f", 0, new Dictionary<string, string>());
            writer.WriteProduced(new ProduceOutcome(0, 7, ProduceStatus.Acked, 1, 40, 900));
            writer.WriteConsumed(assigned);
            writer.WriteConsumed(read);
            writer.WriteConsumed(revoked);
            writer.WriteDrainEnded(1_500, new GroupDrainSummary(true, "caught up"));
            writer.WriteFinalRead(final);
            writer.WriteFinalRead(finalPhantom);
            writer.WriteFinalReadEnded(2_100, new FinalReadSummary(true, new Dictionary<int, long> { [0] = 0, [1] = 42 }, 2, "read 2 records"));
            writer.WriteRunEnded(2_200, RunStatus.Completed);
        }

        var history = JournalReader.ReadRunDirectory(TestDirectory).History;

        Assert.That(history.Consumed, Is.EqualTo(new[] { assigned, read, revoked }));
        Assert.That(history.FinalRead, Is.EqualTo(new[] { final, finalPhantom }));
        Assert.That(history.HasAssignments, Is.True);
        Assert.That(history.Drain, Is.EqualTo(new GroupDrainSummary(true, "caught up")));
        Assert.That((history.FinalReadEnd!.Complete, history.FinalReadEnd.Records, history.FinalReadEnd.EndOffsets[1]), Is.EqualTo((true, 2L, 42L)));
        var counts = LedgerChecker.Check(history).Counts;
        Assert.That((counts.Lost, counts.Phantoms, counts.NeverProcessed, counts.InconsistentOffsets), Is.EqualTo((0L, 1L, (long?)0, (long?)0)));
    }

    [Test]
    public void ReadRunDirectory_FormatOneJournal_IsJudgedOnTheGroupsReadsWithTheFinalLogCountsUnjudged()
    {
        // As the tool wrote it before format 2: no format field, no final.bin, no assignment changes.
        using (var writer = new JournalWriter(TestDirectory, TimeProvider.System))
        {
            writer.WriteRunStarted("run-old", 0, new Dictionary<string, string>());
            writer.WriteProduced(new ProduceOutcome(0, 0, ProduceStatus.Acked, 0, 0, 1));
            writer.WriteProduced(new ProduceOutcome(0, 1, ProduceStatus.Acked, 0, 1, 2));
            writer.WriteConsumed(new ConsumedRecord(0, 0, 0, 0, 0, 3));
            writer.WriteRunEnded(4, RunStatus.Completed);
        }

        var journalPath = Path.Combine(TestDirectory, JournalWriter.FileName);
        File.WriteAllText(journalPath, File.ReadAllText(journalPath).Replace($"\"format\":{JournalWriter.Format},", "", StringComparison.Ordinal));
        File.Delete(Path.Combine(TestDirectory, JournalWriter.FinalReadFileName));

        var verdict = LedgerChecker.Check(JournalReader.ReadRunDirectory(TestDirectory).History);

        Assert.That(verdict.JudgedOnFinalLog, Is.False);
        Assert.That(verdict.Counts.Lost, Is.EqualTo(1), "acked and never consumed, as format 1 defined it");
        Assert.That(new[] { verdict.Counts.LostAfterRead, verdict.Counts.NeverProcessed, verdict.Counts.InconsistentOffsets, verdict.Counts.PollSkip, verdict.Counts.NonmonotonicPoll },
            Is.All.Null);
        Assert.That(verdict.Valid, Is.True);
    }

    [Test]
    public void ReadRunDirectory_NewerFormat_FailsNamingTheFormat()
    {
        using (var writer = new JournalWriter(TestDirectory, TimeProvider.System))
        {
            writer.WriteRunStarted("run-new", 0, new Dictionary<string, string>());
        }

        var journalPath = Path.Combine(TestDirectory, JournalWriter.FileName);
        File.WriteAllText(journalPath, File.ReadAllText(journalPath).Replace($"\"format\":{JournalWriter.Format}", $"\"format\":{JournalWriter.Format + 1}", StringComparison.Ordinal));

        var error = Assert.Throws<JournalFormatException>(() => JournalReader.ReadRunDirectory(TestDirectory));
        Assert.That(error!.Message, Does.Contain("journal.jsonl:1").And.Contain($"format {JournalWriter.Format + 1}"));
    }

    [Test]
    public void Check_IncompleteFinalReadOrIdleDrain_MakesTheCellInvalidWithTheReason()
    {
        var history = new History([new ProduceOutcome(0, 0, ProduceStatus.Acked, 0, 0, 0)], [], [])
        {
            FinalRead = [],
            FinalReadEnd = new FinalReadSummary(false, new Dictionary<int, long> { [0] = 1 }, 0, "partition 0 read to offset 0 of 1"),
            Drain = new GroupDrainSummary(false, "partition 0 read to offset 0 of 1"),
        };

        var verdict = LedgerChecker.Check(history);

        Assert.That(verdict.Valid, Is.False);
        Assert.That(verdict.InvalidReasons, Has.Count.EqualTo(2));
        Assert.That(verdict.InvalidReasons[0], Does.Contain("final read did not reach the end").And.Contain("partition 0 read to offset 0 of 1"));
        Assert.That(verdict.InvalidReasons[1], Does.Contain("went idle"));
    }

    [Test]
    public void Check_IncompleteFinalRead_CountsAsLostOnlyWhatItRead()
    {
        // p0 was read to offset 2 before the reader gave up: 0 is there, 1 is gone, 5 was never reached.
        var history = new History(
            [
                new ProduceOutcome(0, 0, ProduceStatus.Acked, 0, 0, 0),
                new ProduceOutcome(0, 1, ProduceStatus.Acked, 0, 1, 0),
                new ProduceOutcome(0, 2, ProduceStatus.Acked, 0, 5, 0),
            ], [], [])
        {
            FinalRead = [new ConsumedRecord(0, 0, 0, 0, 0, 0, ConsumeKind.FinalRead), new ConsumedRecord(0, -1, -1, 0, 1, 0, ConsumeKind.Unreadable)],
            FinalReadEnd = new FinalReadSummary(false, new Dictionary<int, long> { [0] = 6 }, 2, "partition 0 read to offset 2 of 6"),
        };

        var verdict = LedgerChecker.Check(history);

        Assert.That(verdict.Counts.Lost, Is.EqualTo(1), "the message at offset 1, which the read reached and found replaced");
        Assert.That(verdict.InvalidReasons.Single(), Does.Contain("1 acknowledged messages lie where it did not read"));
    }

    [Test]
    public void ReadHistoryFiles_FinalReadAndAssignmentLines_AreJudgedOnTheFinalLog()
    {
        var produced = Path.Combine(TestDirectory, "produced.jsonl");
        var consumed = Path.Combine(TestDirectory, "consumed.jsonl");
        File.WriteAllLines(produced,
        [
            """{"producer":"a","seq":0,"status":"acked","partition":0,"offset":0,"ts_ms":1}""",
            """{"producer":"a","seq":1,"status":"acked","partition":0,"offset":1,"ts_ms":2}""",
            """{"producer":"a","seq":2,"status":"failed","ts_ms":3}""",
        ]);
        File.WriteAllLines(consumed,
        [
            """{"consumer":"g1","kind":"assigned","partition":0,"ts_ms":4}""",
            """{"consumer":"g1","producer":"a","seq":0,"partition":0,"offset":0,"ts_ms":5}""",
            """{"consumer":"g1","producer":"a","seq":1,"partition":0,"offset":1,"ts_ms":6}""",
            """{"consumer":"final","kind":"final-read","producer":"a","seq":0,"partition":0,"offset":0,"ts_ms":7}""",
            """{"consumer":"final","kind":"final-read","producer":"a","seq":2,"partition":0,"offset":1,"ts_ms":8}""",
        ]);

        var counts = LedgerChecker.Check(JournalReader.ReadHistoryFiles(produced, consumed)).Counts;

        // a/1 was read at offset 1, then the log holds a/2 (a failed send) there instead.
        Assert.That((counts.Lost, counts.LostAfterRead, counts.FailedButStored, counts.InconsistentOffsets, counts.NeverProcessed),
            Is.EqualTo((1L, (long?)1, 1L, (long?)1, (long?)1)));
    }
}
