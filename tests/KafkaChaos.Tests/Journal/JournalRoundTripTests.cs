using KafkaChaos.Journal;
using NUnit.Framework;

namespace KafkaChaos.Tests.Journal;

public class JournalRoundTripTests : TemporaryDirectoryTest
{
    [Test]
    public void ReadRunDirectory_WhatWasWritten_ComesBackIdentical()
    {
        var produced = new ProduceOutcome(0, 17, ProduceStatus.Acked, 2, 1234, 1_700_000_000_000);
        var failed = new ProduceOutcome(0, 18, ProduceStatus.Failed, -1, -1, 1_700_000_000_001, -192);
        var acksZero = new ProduceOutcome(3, 19, ProduceStatus.Acked, -1, -1, 1_699_999_999_999);
        var consumed = new ConsumedRecord(0, 0, 17, 2, 1234, 1_700_000_000_100);
        var skipped = new ConsumedRecord(1, 0, 17, 2, 1234, 1_700_000_000_150, ConsumeKind.DuplicateSkipped);
        var phantom = new ConsumedRecord(0, -1, -1, 1, 9, 1_700_000_000_200, ConsumeKind.Unreadable);
        var fault = new FaultEvent("kill-leader", FaultPhase.NotApplied, "broker-2", 1_700_000_000_050, "leader did not move");

        using (var writer = new JournalWriter(TestDirectory, TimeProvider.System))
        {
            writer.WriteRunStarted("run-1", 1_699_999_999_000, new Dictionary<string, string> { ["producer.acks"] = "all" });
            writer.WriteProduced(produced);
            writer.WriteProduced(failed);
            writer.WriteProduced(acksZero);
            writer.WriteConsumed(consumed);
            writer.WriteConsumed(skipped);
            writer.WriteConsumed(phantom);
            writer.WriteFault(fault);
            writer.WriteRunEnded(1_700_000_001_000, RunStatus.Completed);
        }

        var journal = JournalReader.ReadRunDirectory(TestDirectory);

        Assert.That(journal.RunId, Is.EqualTo("run-1"));
        Assert.That(journal.Config["producer.acks"], Is.EqualTo("all"));
        Assert.That(journal.EndStatus, Is.EqualTo(RunStatus.Completed));
        Assert.That(journal.History.Produced, Is.EqualTo(new[] { produced, failed, acksZero }));
        Assert.That(journal.History.Consumed, Is.EqualTo(new[] { consumed, skipped, phantom }));
        Assert.That(journal.History.Faults, Is.EqualTo(new[] { fault }));
        Assert.That(journal.History.Truncated, Is.False);
    }

    [Test]
    public void ReadRunDirectory_TornLastLine_IsDroppedAndMarkedTruncated()
    {
        using (var writer = new JournalWriter(TestDirectory, TimeProvider.System))
        {
            writer.WriteRunStarted("run-2", 0, new Dictionary<string, string>());
            writer.WriteProduced(new ProduceOutcome(0, 0, ProduceStatus.Acked, 0, 0, 0));
        }

        File.AppendAllText(Path.Combine(TestDirectory, JournalWriter.FileName), "{\"type\":\"fault\",\"fault\":\"kill-le");

        var journal = JournalReader.ReadRunDirectory(TestDirectory);

        Assert.That(journal.History.Produced.Count(), Is.EqualTo(1));
        Assert.That(journal.History.Truncated, Is.True);
        Assert.That(journal.EndStatus, Is.Null);
    }

    [Test]
    public void ReadRunDirectory_BinaryBlockCutShort_KeepsEarlierBlocksAndMarksTruncated()
    {
        var writer = new JournalWriter(TestDirectory, TimeProvider.System);
        writer.WriteRunStarted("run-3", 0, new Dictionary<string, string>());
        for (var seq = 0; seq < 1000; seq++)
        {
            writer.WriteProduced(new ProduceOutcome(0, seq, ProduceStatus.Acked, seq % 3, seq / 3, seq));
        }

        writer.Flush();
        for (var seq = 1000; seq < 2000; seq++)
        {
            writer.WriteProduced(new ProduceOutcome(0, seq, ProduceStatus.Acked, seq % 3, seq / 3, seq));
        }

        writer.Dispose();
        var path = Path.Combine(TestDirectory, JournalWriter.ProducedFileName);
        using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength(file.Length - 5); // the second block loses its tail, as in a crash mid-write
        }

        var journal = JournalReader.ReadRunDirectory(TestDirectory);

        Assert.That(journal.History.Truncated, Is.True);
        Assert.That(journal.History.Produced.Select(p => p.Sequence), Is.EqualTo(Enumerable.Range(0, 1000).Select(i => (long)i)));
    }

    [Test]
    public void ReadRunDirectory_LastBlockWithBadChecksum_IsDroppedAsTorn()
    {
        var path = WriteTwoConsumedBlocks();
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        var journal = JournalReader.ReadRunDirectory(TestDirectory);

        Assert.That(journal.History.Truncated, Is.True);
        Assert.That(journal.History.Consumed.Count(), Is.EqualTo(1));
    }

    [Test]
    public void ReadRunDirectory_DamagedBlockInTheMiddle_FailsNamingFileAndPosition()
    {
        var path = WriteTwoConsumedBlocks();
        var bytes = File.ReadAllBytes(path);
        bytes[17] ^= 0xFF; // first payload byte of the first block
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<JournalFormatException>(() => JournalReader.ReadRunDirectory(TestDirectory).History.Consumed.ToList());

        Assert.That(error!.Message, Does.StartWith($"{path}: block at byte 0 fails its checksum"));
    }

    [Test]
    public void ReadRunDirectory_ManyBlocks_StreamEveryRecordInOrder()
    {
        const int Count = 200_000;
        using (var writer = new JournalWriter(TestDirectory, TimeProvider.System))
        {
            writer.WriteRunStarted("run-6", 0, new Dictionary<string, string>());
            for (var seq = 0; seq < Count; seq++)
            {
                writer.WriteProduced(new ProduceOutcome(1, seq, ProduceStatus.Acked, seq % 3, seq / 3, 1_700_000_000_000 + (seq / 10)));
            }
        }

        var produced = JournalReader.ReadRunDirectory(TestDirectory).History.Produced;
        var bytesPerRecord = (double)new FileInfo(Path.Combine(TestDirectory, JournalWriter.ProducedFileName)).Length / Count;

        Assert.That(produced.Select(p => p.Sequence), Is.EqualTo(Enumerable.Range(0, Count).Select(i => (long)i)));
        Assert.That(produced.Last(), Is.EqualTo(new ProduceOutcome(1, Count - 1, ProduceStatus.Acked, (Count - 1) % 3, (Count - 1) / 3, 1_700_000_000_000 + ((Count - 1) / 10))));
        Assert.That(bytesPerRecord, Is.LessThan(12), "in-order outcomes should take a few bytes each");
    }

    [Test]
    public void ReadRunDirectory_CorruptLineInTheMiddle_FailsNamingFileAndLine()
    {
        var path = Path.Combine(TestDirectory, JournalWriter.FileName);
        File.WriteAllText(path, "{\"type\":\"run\",\"run_id\":\"r\",\"ts_ms\":0}\nnot json\n{\"type\":\"end\",\"ts_ms\":1,\"status\":\"completed\"}\n");

        var error = Assert.Throws<JournalFormatException>(() => JournalReader.ReadRunDirectory(TestDirectory));

        Assert.That(error!.Message, Does.StartWith($"{path}:2:"));
    }

    [Test]
    public void ReadHistoryFiles_ExternalJsonLines_AreParsed()
    {
        var producedPath = Path.Combine(TestDirectory, "produced.jsonl");
        var consumedPath = Path.Combine(TestDirectory, "consumed.jsonl");
        File.WriteAllText(producedPath,
            "{\"producer\":\"p0\",\"seq\":17,\"status\":\"acked\",\"partition\":2,\"offset\":1234,\"ts_ms\":1700000000000}\n" +
            "{\"producer\":\"p0\",\"seq\":18,\"status\":\"unknown\",\"ts_ms\":1700000000001}\n");
        File.WriteAllText(consumedPath,
            "{\"consumer\":\"c0\",\"producer\":\"p0\",\"seq\":17,\"partition\":2,\"offset\":1234,\"ts_ms\":1700000000100}\n");

        var history = JournalReader.ReadHistoryFiles(producedPath, consumedPath);
        var produced = history.Produced.ToList();

        Assert.That(produced[0], Is.EqualTo(new ProduceOutcome(0, 17, ProduceStatus.Acked, 2, 1234, 1_700_000_000_000)));
        Assert.That(produced[1].Status, Is.EqualTo(ProduceStatus.Unknown));
        Assert.That(history.Consumed.Single(), Is.EqualTo(new ConsumedRecord(0, 0, 17, 2, 1234, 1_700_000_000_100)));
        Assert.That(history.ProducerName(0), Is.EqualTo("p0"));
    }

    [Test]
    public void ReadHistoryFiles_BadStatus_NamesFileLineKeyAndValue()
    {
        var producedPath = Path.Combine(TestDirectory, "produced.jsonl");
        var consumedPath = Path.Combine(TestDirectory, "consumed.jsonl");
        File.WriteAllText(producedPath, "{\"producer\":\"p0\",\"seq\":1,\"status\":\"maybe\",\"ts_ms\":0}\n{\"producer\":\"p0\",\"seq\":2,\"status\":\"acked\",\"ts_ms\":0}\n");
        File.WriteAllText(consumedPath, "");

        var error = Assert.Throws<JournalFormatException>(() => JournalReader.ReadHistoryFiles(producedPath, consumedPath));

        Assert.That(error!.Message, Is.EqualTo($"{producedPath}:1: key 'status' has value 'maybe'; expected acked, failed or unknown"));
    }

    /// <returns>The path of consumed.bin, holding two one-record blocks.</returns>
    private string WriteTwoConsumedBlocks()
    {
        using (var writer = new JournalWriter(TestDirectory, TimeProvider.System))
        {
            writer.WriteRunStarted("run", 0, new Dictionary<string, string>());
            writer.WriteConsumed(new ConsumedRecord(0, 0, 0, 0, 0, 0));
            writer.Flush();
            writer.WriteConsumed(new ConsumedRecord(0, 0, 1, 0, 1, 0));
        }

        return Path.Combine(TestDirectory, JournalWriter.ConsumedFileName);
    }
}
