using KafkaChaos.ClusterTests;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.Tests.Journal;

/// <summary>
/// <c>kafka-chaos verify</c> on a completed run whose files were damaged afterwards: exit 2 and one line
/// naming what is wrong, never a verdict computed around the damage.
/// </summary>
public class VerifyDamagedRunTests : TemporaryDirectoryTest
{
    [Test]
    public async Task Verify_CompletedRunWhoseJournalLostItsEndLine_IsDamageExit2()
    {
        WriteCompletedRun();
        var journal = Path.Combine(TestDirectory, JournalWriter.FileName);
        var lines = File.ReadAllLines(journal);
        File.WriteAllLines(journal, lines[..^1]);

        var (exitCode, _, error) = await CliProcess.RunAsync("verify", TestDirectory);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain("says this run completed").And.Contain("no end line").And.Contain("damaged"));
    }

    [Test]
    public async Task Verify_BytesDamagedInTheMiddleOfConsumedBin_IsDamageExit2NamingFileAndByte()
    {
        WriteCompletedRun();
        var consumed = Path.Combine(TestDirectory, JournalWriter.ConsumedFileName);
        var bytes = File.ReadAllBytes(consumed);
        bytes[6] ^= 0x40; // the first block's length
        File.WriteAllBytes(consumed, bytes);

        var (exitCode, output, error) = await CliProcess.RunAsync("verify", TestDirectory);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain(consumed).And.Contain("block at byte 0"));
        Assert.That(output, Does.Not.Contain("lost"), "no verdict is printed around damage");
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public async Task Verify_IntactCompletedRun_AgreesAndExits0()
    {
        WriteCompletedRun();

        var (exitCode, _, error) = await CliProcess.RunAsync("verify", TestDirectory);

        Assert.That((exitCode, error), Is.EqualTo((0, "")));
    }

    /// <summary>A completed single-cell run of 300 messages over four blocks of each stream, with its results.json.</summary>
    private void WriteCompletedRun()
    {
        using (var writer = new JournalWriter(TestDirectory, TimeProvider.System))
        {
            writer.WriteRunStarted("run-damage", 0, new Dictionary<string, string>());
            for (var seq = 0; seq < 300; seq++)
            {
                writer.WriteProduced(new ProduceOutcome(0, seq, ProduceStatus.Acked, seq % 3, seq / 3, 1_000 + seq));
                writer.WriteConsumed(new ConsumedRecord(0, 0, seq, seq % 3, seq / 3, 2_000 + seq));
                writer.WriteFinalRead(new ConsumedRecord(0, 0, seq, seq % 3, seq / 3, 3_000 + seq, ConsumeKind.FinalRead));
                if (seq % 75 == 74)
                {
                    writer.Flush();
                }
            }

            writer.WriteDrainEnded(2_500, new GroupDrainSummary(true, ""));
            writer.WriteFinalReadEnded(3_500, new FinalReadSummary(true, new Dictionary<int, long> { [0] = 100, [1] = 100, [2] = 100 }, 300, ""));
            writer.WriteRunEnded(4_000, RunStatus.Completed);
        }

        var verdict = LedgerChecker.Check(JournalReader.ReadRunDirectory(TestDirectory).History);
        var cell = new CellResult("damage", new Dictionary<string, string>(), verdict.Counts, verdict.Examples, false, [], null, verdict.Timeline, true, [])
        {
            JudgedOnFinalLog = true,
        };
        ResultsJson.Write(TestDirectory, new ResultsDocument(ResultsDocument.CurrentSchemaVersion, "run-damage", RunStatus.Completed, null, 0, 4_000, [cell]));
    }
}
