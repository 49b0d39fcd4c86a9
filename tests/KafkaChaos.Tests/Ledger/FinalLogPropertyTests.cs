using CsCheck;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using NUnit.Framework;

namespace KafkaChaos.Tests.Ledger;

/// <summary>
/// Random histories of a log that an unclean election truncates and rewrites, with a final read: the
/// checker must count exactly what the construction injected, and nothing on a history without faults.
/// </summary>
/// <remarks>
/// Per partition: the old log holds the stored messages up to a cut, then the messages about to be
/// truncated; the group reads some of them. The final log keeps the stored messages before the cut and
/// writes the rest from the cut on, reusing the truncated offsets; extra copies of duplicated messages
/// go last. After the truncation the one consumer instance either carries on from where it was (and may
/// jump a few offsets ahead), or rewinds to offset 0 within the same assignment.
/// </remarks>
public class FinalLogPropertyTests
{
    private enum Fate { Stored, Truncated, FailedStored, UnknownStored, UnackedLost }

    private sealed record Expected(
        long Sent, long Lost, long LostAfterRead, long NeverProcessed, long LostUnacked, long UnackedButDelivered, long FailedButStored,
        long DuplicateWrites, long RedeliveriesWithin, long InconsistentOffsets, long PollSkip, long NonmonotonicPoll);

    private static readonly Gen<(int Messages, int Partitions, int Seed, bool Faults)> Scenarios =
        Gen.Select(Gen.Int[0, 300], Gen.Int[1, 3], Gen.Int, Gen.Bool);

    [Test]
    public void Check_TruncatedAndRewrittenLog_CountsExactlyWhatWasInjected()
    {
        Scenarios.Sample(scenario =>
        {
            var (history, expected) = Build(scenario.Messages, scenario.Partitions, scenario.Seed, scenario.Faults);
            var c = LedgerChecker.Check(history).Counts;
            var actual = new Expected(c.Sent, c.Lost, c.LostAfterRead!.Value, c.NeverProcessed!.Value, c.LostUnacked, c.UnackedButDelivered, c.FailedButStored,
                c.DuplicateWrites, c.RedeliveriesWithinAssignment!.Value, c.InconsistentOffsets!.Value, c.PollSkip!.Value, c.NonmonotonicPoll!.Value);
            return actual == expected && c.Phantoms == 0 && c.OutOfOrder == 0 && c.RedeliveriesAfterRebalance == 0
                && c.Redeliveries == c.RedeliveriesWithinAssignment && c.Acked + c.Failed + c.Unknown == c.Sent;
        }, iter: 400, print: s => $"{s}: {Build(s.Messages, s.Partitions, s.Seed, s.Faults).Expected} vs {LedgerChecker.Check(Build(s.Messages, s.Partitions, s.Seed, s.Faults).History).Counts}");
    }

    [Test]
    public void Check_HistoryWithoutFaults_HasNoAnomalyAtAll()
    {
        Scenarios.Select(s => s with { Faults = false }).Sample(scenario =>
        {
            var c = LedgerChecker.Check(Build(scenario.Messages, scenario.Partitions, scenario.Seed, faults: false).History).Counts;
            return LedgerCountCatalog.All.Where(count => count.IsAnomaly).All(count => count.Read(c) == 0)
                && c.NeverProcessed == 0 && c.Consumed == scenario.Messages && c.Lost == 0;
        }, iter: 200);
    }

    private static (History History, Expected Expected) Build(int messages, int partitionCount, int seed, bool faults)
    {
        var random = new Random(seed);
        var fates = new Fate[messages];
        var duplicated = new HashSet<int>();
        for (var seq = 0; seq < messages; seq++)
        {
            fates[seq] = !faults ? Fate.Stored : random.Next(10) switch
            {
                0 or 1 => Fate.Truncated,
                2 => Fate.FailedStored,
                3 => Fate.UnknownStored,
                4 => Fate.UnackedLost,
                _ => Fate.Stored,
            };
            if (faults && fates[seq] == Fate.Stored && random.Next(8) == 0)
            {
                duplicated.Add(seq);
            }
        }

        var produced = new List<ProduceOutcome>();
        var consumed = new List<ConsumedRecord>();
        var final = new List<ConsumedRecord>();
        long lostAfterRead = 0, neverProcessed = 0, within = 0, inconsistent = 0, skips = 0, rewinds = 0;
        for (var p = 0; p < partitionCount; p++)
        {
            var inPartition = Enumerable.Range(0, messages).Where(s => s % partitionCount == p).ToList();
            var stored = inPartition.Where(s => fates[s] is Fate.Stored or Fate.FailedStored or Fate.UnknownStored).ToList();
            var truncated = inPartition.Where(s => fates[s] == Fate.Truncated).ToList();
            var cut = random.Next(stored.Count + 1);
            var finalLog = stored.Concat(stored.Where(duplicated.Contains)).ToList();
            var readTruncated = random.Next(truncated.Count + 1);
            var rewind = faults && random.Next(2) == 0;

            // Outcomes: the truncated ones were acked at the offsets after the cut of the old log.
            foreach (var seq in inPartition)
            {
                var offset = fates[seq] == Fate.Truncated ? cut + truncated.IndexOf(seq) : stored.IndexOf(seq);
                produced.Add(fates[seq] switch
                {
                    Fate.Stored or Fate.Truncated => new ProduceOutcome(0, seq, ProduceStatus.Acked, p, offset, seq),
                    Fate.FailedStored => new ProduceOutcome(0, seq, ProduceStatus.Failed, -1, -1, seq, -192),
                    Fate.UnknownStored => new ProduceOutcome(0, seq, ProduceStatus.Unknown, -1, -1, seq, -185),
                    _ => new ProduceOutcome(0, seq, seq % 2 == 0 ? ProduceStatus.Failed : ProduceStatus.Unknown, -1, -1, seq, -185),
                });
            }

            // The group: assigned, reads the old log up to some of the truncated messages, then the final log.
            consumed.Add(new ConsumedRecord(0, -1, -1, p, -1, 0, ConsumeKind.Assigned));
            var position = 0;
            foreach (var seq in stored.Take(cut).Concat(truncated.Take(readTruncated)))
            {
                consumed.Add(new ConsumedRecord(0, 0, seq, p, position++, seq));
            }

            lostAfterRead += readTruncated;
            inconsistent += Math.Max(0, Math.Min(truncated.Count, finalLog.Count - cut));
            var processed = new HashSet<int>(stored.Take(cut));
            var resume = position;
            if (rewind && position > 0 && finalLog.Count > 0)
            {
                rewinds++;
                within += Math.Min(position, finalLog.Count);
                resume = 0;
            }
            else if (faults && position > 0 && finalLog.Count - position > 3 && random.Next(2) == 0)
            {
                var jump = random.Next(1, 4);
                skips++;
                resume = position + jump;
            }

            for (var offset = resume; offset < finalLog.Count; offset++)
            {
                consumed.Add(new ConsumedRecord(0, 0, finalLog[offset], p, offset, finalLog[offset]));
                processed.Add(finalLog[offset]);
            }

            neverProcessed += stored.Count(s => !processed.Contains(s));
            for (var offset = 0; offset < finalLog.Count; offset++)
            {
                final.Add(new ConsumedRecord(0, 0, finalLog[offset], p, offset, 0, ConsumeKind.FinalRead));
            }
        }

        var history = new History(produced, consumed, [])
        {
            FinalRead = final,
            FinalReadEnd = new FinalReadSummary(true, new Dictionary<int, long>(), final.Count, ""),
            HasAssignments = true,
        };
        var expected = new Expected(
            Sent: messages,
            Lost: fates.Count(f => f == Fate.Truncated),
            LostAfterRead: lostAfterRead,
            NeverProcessed: neverProcessed,
            LostUnacked: fates.Count(f => f == Fate.UnackedLost),
            UnackedButDelivered: fates.Count(f => f == Fate.UnknownStored),
            FailedButStored: fates.Count(f => f == Fate.FailedStored),
            DuplicateWrites: duplicated.Count,
            RedeliveriesWithin: within,
            InconsistentOffsets: inconsistent,
            PollSkip: skips,
            NonmonotonicPoll: rewinds);
        return (history, expected);
    }
}
