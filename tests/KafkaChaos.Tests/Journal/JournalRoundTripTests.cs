using KafkaChaos.Journal;
using NUnit.Framework;

namespace KafkaChaos.Tests.Journal;

public class JournalRoundTripTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("kafka-chaos-journal-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void ReadRunDirectory_WhatWasWritten_ComesBackIdentical()
    {
        var produced = new ProduceOutcome("p0", 17, ProduceStatus.Acked, 2, 1234, 1_700_000_000_000);
        var failed = new ProduceOutcome("p0", 18, ProduceStatus.Failed, null, null, 1_700_000_000_001, "Local_MsgTimeout: timed out");
        var consumed = new ConsumedRecord("c0", "p0", 17, 2, 1234, 1_700_000_000_100);
        var phantom = new ConsumedRecord("c0", null, null, 1, 9, 1_700_000_000_200, "envelope checksum mismatch");
        var fault = new FaultEvent("kill-leader", FaultPhase.NotApplied, "broker-2", 1_700_000_000_050, "leader did not move");

        using (var writer = new JournalWriter(_directory, TimeProvider.System))
        {
            writer.WriteRunStarted("run-1", 1_699_999_999_000, new Dictionary<string, string> { ["producer.acks"] = "all" });
            writer.WriteProduced(produced);
            writer.WriteProduced(failed);
            writer.WriteConsumed(consumed);
            writer.WriteConsumed(phantom);
            writer.WriteFault(fault);
            writer.WriteRunEnded(1_700_000_001_000, "completed");
        }

        var journal = JournalReader.ReadRunDirectory(_directory);

        Assert.That(journal.RunId, Is.EqualTo("run-1"));
        Assert.That(journal.Config["producer.acks"], Is.EqualTo("all"));
        Assert.That(journal.EndStatus, Is.EqualTo("completed"));
        Assert.That(journal.History.Produced, Is.EqualTo(new[] { produced, failed }));
        Assert.That(journal.History.Consumed, Is.EqualTo(new[] { consumed, phantom }));
        Assert.That(journal.History.Faults, Is.EqualTo(new[] { fault }));
        Assert.That(journal.History.Truncated, Is.False);
    }

    [Test]
    public void ReadRunDirectory_TornLastLine_IsDroppedAndMarkedTruncated()
    {
        using (var writer = new JournalWriter(_directory, TimeProvider.System))
        {
            writer.WriteRunStarted("run-2", 0, new Dictionary<string, string>());
            writer.WriteProduced(new ProduceOutcome("p0", 0, ProduceStatus.Acked, 0, 0, 0));
        }

        File.AppendAllText(Path.Combine(_directory, JournalWriter.FileName), "{\"type\":\"produced\",\"producer\":\"p0\",\"se");

        var journal = JournalReader.ReadRunDirectory(_directory);

        Assert.That(journal.History.Produced, Has.Count.EqualTo(1));
        Assert.That(journal.History.Truncated, Is.True);
        Assert.That(journal.EndStatus, Is.Null);
    }

    [Test]
    public void ReadRunDirectory_CorruptLineInTheMiddle_FailsNamingFileAndLine()
    {
        var path = Path.Combine(_directory, JournalWriter.FileName);
        File.WriteAllText(path, "{\"type\":\"run\",\"run_id\":\"r\",\"ts_ms\":0}\nnot json\n{\"type\":\"end\",\"ts_ms\":1,\"status\":\"completed\"}\n");

        var error = Assert.Throws<JournalFormatException>(() => JournalReader.ReadRunDirectory(_directory));

        Assert.That(error!.Message, Does.StartWith($"{path}:2:"));
    }

    [Test]
    public void ReadHistoryFiles_ExternalJsonLines_AreParsed()
    {
        var producedPath = Path.Combine(_directory, "produced.jsonl");
        var consumedPath = Path.Combine(_directory, "consumed.jsonl");
        File.WriteAllText(producedPath,
            "{\"producer\":\"p0\",\"seq\":17,\"status\":\"acked\",\"partition\":2,\"offset\":1234,\"ts_ms\":1700000000000}\n" +
            "{\"producer\":\"p0\",\"seq\":18,\"status\":\"unknown\",\"ts_ms\":1700000000001}\n");
        File.WriteAllText(consumedPath,
            "{\"consumer\":\"c0\",\"producer\":\"p0\",\"seq\":17,\"partition\":2,\"offset\":1234,\"ts_ms\":1700000000100}\n");

        var history = JournalReader.ReadHistoryFiles(producedPath, consumedPath);

        Assert.That(history.Produced[0], Is.EqualTo(new ProduceOutcome("p0", 17, ProduceStatus.Acked, 2, 1234, 1_700_000_000_000)));
        Assert.That(history.Produced[1].Status, Is.EqualTo(ProduceStatus.Unknown));
        Assert.That(history.Consumed.Single(), Is.EqualTo(new ConsumedRecord("c0", "p0", 17, 2, 1234, 1_700_000_000_100)));
    }

    [Test]
    public void ReadHistoryFiles_BadStatus_NamesFileLineKeyAndValue()
    {
        var producedPath = Path.Combine(_directory, "produced.jsonl");
        var consumedPath = Path.Combine(_directory, "consumed.jsonl");
        File.WriteAllText(producedPath, "{\"producer\":\"p0\",\"seq\":1,\"status\":\"maybe\",\"ts_ms\":0}\n{\"producer\":\"p0\",\"seq\":2,\"status\":\"acked\",\"ts_ms\":0}\n");
        File.WriteAllText(consumedPath, "");

        var error = Assert.Throws<JournalFormatException>(() => JournalReader.ReadHistoryFiles(producedPath, consumedPath));

        Assert.That(error!.Message, Is.EqualTo($"{producedPath}:1: key 'status' has value 'maybe'; expected acked, failed or unknown"));
    }
}
