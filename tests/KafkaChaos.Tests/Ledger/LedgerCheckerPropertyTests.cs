using CsCheck;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using NUnit.Framework;

namespace KafkaChaos.Tests.Ledger;

/// <summary>
/// Random histories with known injected anomalies: the checker must count exactly what was injected
/// and report nothing on a clean history.
/// </summary>
/// <remarks>
/// Consumers read each partition in offset order, as Kafka consumers do, with the partitions
/// interleaved at random; redeliveries re-read earlier offsets after that.
/// </remarks>
public class LedgerCheckerPropertyTests
{
    private sealed record Scenario(
        int Messages, int Partitions, HashSet<int> Lost, HashSet<int> Duplicated, HashSet<int> Redelivered,
        HashSet<int> UnackedLost, HashSet<int> UnackedDelivered, int Phantoms, int Seed)
    {
        public int Abandoned => Lost.Count(s => s % 2 == 0);
    }

    private static Gen<HashSet<int>> Subset(int messages) => Gen.Int[0, messages - 1].HashSet[0, Math.Min(messages, 20)];

    private static readonly Gen<Scenario> Scenarios =
        from messages in Gen.Int[1, 400]
        from partitions in Gen.Int[1, 4]
        from lost in Subset(messages)
        from duplicated in Subset(messages)
        from redelivered in Subset(messages)
        from unackedLost in Subset(messages)
        from unackedDelivered in Subset(messages)
        from phantoms in Gen.Int[0, 5]
        from seed in Gen.Int
        let ul = unackedLost.Except(lost).ToHashSet()
        let ud = unackedDelivered.Except(lost).Except(ul).ToHashSet()
        select new Scenario(messages, partitions, lost,
            [.. duplicated.Except(lost).Except(ul)], [.. redelivered.Except(lost).Except(ul)], ul, ud, phantoms, seed);

    [Test]
    public void Check_InjectedAnomalies_AreCountedExactly()
    {
        Scenarios.Sample(scenario =>
        {
            var counts = LedgerChecker.Check(Build(scenario)).Counts;
            var unacked = scenario.UnackedLost.Count + scenario.UnackedDelivered.Count;
            return counts.Sent == scenario.Messages
                && counts.Acked == scenario.Messages - unacked
                && counts.Failed + counts.Unknown == unacked
                && counts.Lost == scenario.Lost.Count
                && counts.LostUnacked == scenario.UnackedLost.Count
                && counts.UnackedButDelivered == scenario.UnackedDelivered.Count
                && counts.DuplicateWrites == scenario.Duplicated.Count
                && counts.Redeliveries == scenario.Redelivered.Count
                && counts.DuplicatesProcessed == scenario.Redelivered.Count + scenario.Duplicated.Count
                && counts.Phantoms == scenario.Phantoms
                && counts.Abandoned == scenario.Abandoned
                && counts.OutOfOrder == 0;
        }, iter: 300);
    }

    [Test]
    public void Check_CleanHistoryInAnyInterleaving_HasNoAnomalies()
    {
        Scenarios.Select(s => s with { Lost = [], Duplicated = [], Redelivered = [], UnackedLost = [], UnackedDelivered = [], Phantoms = 0 }).Sample(scenario =>
        {
            var counts = LedgerChecker.Check(Build(scenario)).Counts;
            return counts is { Lost: 0, DuplicateWrites: 0, Redeliveries: 0, DuplicatesProcessed: 0, Phantoms: 0, OutOfOrder: 0, LostUnacked: 0, UnackedButDelivered: 0, Abandoned: 0 }
                && counts.Consumed == scenario.Messages;
        }, iter: 300);
    }

    [Test]
    public void Check_SwappedNeighboursInOnePartition_AreOutOfOrder()
    {
        Gen.Int[2, 300].Select(Gen.Int[0, 1000]).Sample((messages, seed) =>
        {
            var at = seed % (messages - 1);
            var builder = new HistoryBuilder();
            for (var seq = 0; seq < messages; seq++)
            {
                var stored = seq == at ? at + 1 : seq == at + 1 ? at : seq;
                builder.Acked("p0", seq, 0, stored);
            }

            for (var offset = 0; offset < messages; offset++)
            {
                var seq = offset == at ? at + 1 : offset == at + 1 ? at : offset;
                builder.Consumed("p0", seq, 0, offset);
            }

            var counts = LedgerChecker.Check(builder.Build()).Counts;
            return counts is { OutOfOrder: 1, Lost: 0, DuplicateWrites: 0 };
        }, iter: 200);
    }

    /// <summary>
    /// Each stored message gets the next offset of its partition in sequence order; a duplicated one is
    /// stored again at the end of its partition. Unacked-lost messages are never stored.
    /// </summary>
    private static History Build(Scenario s)
    {
        var produced = new List<ProduceOutcome>();
        var partitions = Enumerable.Range(0, s.Partitions).Select(_ => new List<ConsumedRecord>()).ToArray();
        var nextOffset = new long[s.Partitions];
        for (var seq = 0; seq < s.Messages; seq++)
        {
            var partition = seq % s.Partitions;
            if (s.UnackedLost.Contains(seq))
            {
                produced.Add(new ProduceOutcome(0, seq, seq % 2 == 0 ? ProduceStatus.Failed : ProduceStatus.Unknown, -1, -1, seq, -192));
                continue;
            }

            var offset = nextOffset[partition]++;
            produced.Add(s.UnackedDelivered.Contains(seq)
                ? new ProduceOutcome(0, seq, ProduceStatus.Unknown, -1, -1, seq, -192)
                : new ProduceOutcome(0, seq, ProduceStatus.Acked, partition, offset, seq));
            var kind = !s.Lost.Contains(seq) ? ConsumeKind.Processed : seq % 2 == 0 ? ConsumeKind.Abandoned : (ConsumeKind?)null;
            if (kind is { } k)
            {
                partitions[partition].Add(new ConsumedRecord(0, 0, seq, partition, offset, seq, k));
            }
        }

        foreach (var seq in s.Duplicated.Order())
        {
            var partition = seq % s.Partitions;
            partitions[partition].Add(new ConsumedRecord(0, 0, seq, partition, nextOffset[partition]++, seq));
        }

        // Interleave the partitions at random, each kept in offset order.
        var random = new Random(s.Seed);
        var consumed = new List<ConsumedRecord>();
        var cursors = new int[s.Partitions];
        while (true)
        {
            var open = Enumerable.Range(0, s.Partitions).Where(p => cursors[p] < partitions[p].Count).ToArray();
            if (open.Length == 0)
            {
                break;
            }

            var pick = open[random.Next(open.Length)];
            consumed.Add(partitions[pick][cursors[pick]++]);
        }

        foreach (var seq in s.Redelivered.Order())
        {
            consumed.Add(consumed.First(r => r.Sequence == seq && r.Kind == ConsumeKind.Processed));
        }

        for (var i = 0; i < s.Phantoms; i++)
        {
            consumed.Add(new ConsumedRecord(0, -1, -1, 0, 1_000_000 + i, 0, ConsumeKind.Unreadable));
        }

        return new History(produced, consumed, []);
    }
}
