using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Reporting;

namespace KafkaChaos.Tests.Journal;

/// <summary>A completed run written with the tool's own writers, for tests that damage it afterwards.</summary>
internal static class SampleRun
{
    /// <summary>A completed single-cell run of 300 messages over four blocks of each stream, with its results.json.</summary>
    public static void Write(string directory)
    {
        using (var writer = new JournalWriter(directory, TimeProvider.System))
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

        var verdict = LedgerChecker.Check(JournalReader.ReadRunDirectory(directory).History);
        var cell = new CellResult("damage", new Dictionary<string, string>(), verdict.Counts, verdict.Examples, false, [], null, verdict.Timeline, true, [])
        {
            JudgedOnFinalLog = true,
        };
        ResultsJson.Write(directory, new ResultsDocument(ResultsDocument.CurrentSchemaVersion, "run-damage", RunStatus.Completed, null, 0, 4_000, [cell]));
    }
}
