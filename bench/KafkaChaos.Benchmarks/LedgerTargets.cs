using System.Diagnostics;
using System.Globalization;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;

namespace KafkaChaos.Benchmarks;

/// <summary>
/// The ledger's targets from issue "Benchmark mode", measured directly (one long run each, not
/// BenchmarkDotNet's many short ones): ns per event in order, bytes per tracked in-order message, and
/// a full verify of a 10^8-message journal written to disk, on one core. The histories carry a final
/// read of the whole log, as every completed run's journal does.
/// </summary>
public static class LedgerTargets
{
    public static int Run(long messages, string directory)
    {
        var results = new List<(string Target, string Limit, string Measured, bool Met)>();

        // 1. Checker cost per event, in order, over events held in arrays (the cost of the checker alone;
        //    reading them from disk is what target 3 measures). Best of three runs, after a warm-up.
        const int PerEventMessages = 5_000_000;
        var produced = Produced(PerEventMessages).ToArray();
        var consumed = Consumed(PerEventMessages).ToArray();
        var final = Final(PerEventMessages).ToArray();
        var nsPerEvent = double.MaxValue;
        var watch = new ElapsedTimer(TimeProvider.System);
        for (var round = 0; round < 6; round++)
        {
            watch.Restart();
            var verdict = LedgerChecker.Check(WithFinalRead(new History(produced, consumed, []), final, PerEventMessages));
            watch.Stop();
            if (round > 0 && verdict.Counts is { Lost: 0, NeverProcessed: 0, InconsistentOffsets: 0 })
            {
                nsPerEvent = Math.Min(nsPerEvent, watch.Elapsed.TotalNanoseconds / (PerEventMessages * 3L));
            }
        }

        // The same history without its final read, judged on the group's reads: for comparison, not a target.
        var withoutFinalRead = double.MaxValue;
        for (var round = 0; round < 4; round++)
        {
            watch.Restart();
            LedgerChecker.Check(new History(produced, consumed, []));
            watch.Stop();
            if (round > 0)
            {
                withoutFinalRead = Math.Min(withoutFinalRead, watch.Elapsed.TotalNanoseconds / (PerEventMessages * 2L));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ledger per event without a final read (judged on the group's reads): {withoutFinalRead:0.0} ns"));
        (produced, consumed, final) = ([], [], []);
        results.Add(("ledger per event, in order (check of 1.5·10^7 events: sends, group reads, final read)", "≤ 20 ns", $"{nsPerEvent:0.0} ns", nsPerEvent <= 20));

        // 2. Memory per tracked message, in order.
        var set = new SequenceSet();
        for (long i = 0; i < messages; i++)
        {
            set.Add(i);
        }

        var bytesPerMessage = (double)set.RetainedBytes / messages;
        results.Add(($"in-order tracking memory ({messages:N0} sequences)", "≤ 0.01 B/message", $"{bytesPerMessage:0.000000} B ({set.RetainedBytes} B)", bytesPerMessage <= 0.01));

        // 3. verify of a journal with `messages` sends and as many consumed records, from disk, on one
        //    core (the whole process pinned from here on; pinning earlier starves the tiered JIT's
        //    background compilation and would measure unoptimised code in target 1).
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            using var self = Process.GetCurrentProcess();
            self.ProcessorAffinity = 1;
        }

        Directory.CreateDirectory(directory);
        var journalDirectory = Path.Combine(directory, $"verify-{messages}");
        if (Directory.Exists(journalDirectory))
        {
            Directory.Delete(journalDirectory, recursive: true);
        }

        Directory.CreateDirectory(journalDirectory);
        watch.Restart();
        using (var writer = new JournalWriter(journalDirectory, TimeProvider.System))
        {
            writer.WriteRunStarted("bench", 0, new Dictionary<string, string>());
            foreach (var outcome in Produced(messages))
            {
                writer.WriteProduced(outcome);
            }

            foreach (var record in Consumed(messages))
            {
                writer.WriteConsumed(record);
            }

            foreach (var record in Final(messages))
            {
                writer.WriteFinalRead(record);
            }

            writer.WriteFinalReadEnded(0, new FinalReadSummary(true, new Dictionary<int, long>(), messages, "synthetic"));

            writer.WriteRunEnded(0, RunStatus.Completed);
        }

        var written = watch.Elapsed;
        var bytes = Directory.EnumerateFiles(journalDirectory).Sum(f => new FileInfo(f).Length);
        watch.Restart();
        var journal = JournalReader.ReadRunDirectory(journalDirectory);
        var counts = LedgerChecker.Check(journal.History).Counts;
        watch.Stop();
        Directory.Delete(journalDirectory, recursive: true);
        var exact = counts.Sent == messages && counts.Consumed == messages && counts is { Lost: 0, DuplicateWrites: 0, NeverProcessed: 0, InconsistentOffsets: 0 };
        results.Add(($"verify of {messages:N0} messages from disk, with their final read ({bytes / 1e9:0.00} GB journal, written in {written.TotalSeconds:0} s; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:0.0} GB)",
            "< 30 s", $"{watch.Elapsed.TotalSeconds:0.0} s{(exact ? "" : ", COUNTS WRONG")}", watch.Elapsed.TotalSeconds < 30 && exact));

        Console.WriteLine();
        Console.WriteLine("| target | limit | measured | |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (target, limit, measured, met) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {target} | {limit} | {measured} | {(met ? "met" : "MISSED")} |"));
        }

        return results.All(r => r.Met) ? 0 : 1;
    }

    /// <summary>One producer, three partitions, acked in order, a second of timestamps per 1,000.</summary>
    private static IEnumerable<ProduceOutcome> Produced(long messages)
    {
        for (long i = 0; i < messages; i++)
        {
            yield return new ProduceOutcome(0, i, ProduceStatus.Acked, (int)(i % 3), i / 3, 1_763_900_000_000 + (i / 1000));
        }
    }

    /// <summary>The same log as the final read finds it.</summary>
    private static IEnumerable<ConsumedRecord> Final(long messages)
    {
        for (long i = 0; i < messages; i++)
        {
            yield return new ConsumedRecord(0, 0, i, (int)(i % 3), i / 3, 1_763_900_000_000 + (i / 1000), ConsumeKind.FinalRead);
        }
    }

    private static History WithFinalRead(History history, ConsumedRecord[] final, long messages) => history with
    {
        FinalRead = final,
        FinalReadEnd = new FinalReadSummary(true, new Dictionary<int, long>(), messages, "synthetic"),
    };

    private static IEnumerable<ConsumedRecord> Consumed(long messages)
    {
        for (long i = 0; i < messages; i++)
        {
            yield return new ConsumedRecord(0, 0, i, (int)(i % 3), i / 3, 1_763_900_000_000 + (i / 1000));
        }
    }
}
