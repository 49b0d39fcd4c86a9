using CsCheck;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using NUnit.Framework;

namespace KafkaChaos.Tests.Ledger;

/// <summary>
/// Random histories with known injected anomalies: the checker must count exactly what was injected
/// and report nothing on a clean history.
/// </summary>
public class LedgerCheckerPropertyTests
{
    private sealed record Scenario(int Messages, int Partitions, HashSet<int> Lost, HashSet<int> Duplicated, HashSet<int> Redelivered, int Phantoms, int[] Order);

    private static readonly Gen<Scenario> Scenarios =
        from messages in Gen.Int[1, 400]
        from partitions in Gen.Int[1, 4]
        from lost in Gen.Int[0, messages - 1].HashSet[0, Math.Min(messages, 20)]
        from duplicated in Gen.Int[0, messages - 1].HashSet[0, Math.Min(messages, 20)]
        from redelivered in Gen.Int[0, messages - 1].HashSet[0, Math.Min(messages, 20)]
        from phantoms in Gen.Int[0, 5]
        from seed in Gen.Int
        select new Scenario(messages, partitions, lost,
            [.. duplicated.Except(lost)], [.. redelivered.Except(lost)], phantoms,
            Enumerable.Range(0, messages).OrderBy(i => HashCode.Combine(seed, i)).ToArray());

    [Test]
    public void Check_InjectedAnomalies_AreCountedExactly()
    {
        Scenarios.Sample(scenario =>
        {
            var history = Build(scenario);
            var counts = LedgerChecker.Check(history).Counts;
            return counts.Sent == scenario.Messages
                && counts.Acked == scenario.Messages
                && counts.Lost == scenario.Lost.Count
                && counts.DuplicateWrites == scenario.Duplicated.Count
                && counts.Redeliveries == scenario.Redelivered.Count
                && counts.Phantoms == scenario.Phantoms
                && counts.OutOfOrder == 0
                && counts.Acked + counts.Failed + counts.Unknown == counts.Sent;
        }, iter: 300);
    }

    [Test]
    public void Check_CleanHistoryInAnyConsumeOrder_HasNoAnomalies()
    {
        Scenarios.Select(s => s with { Lost = [], Duplicated = [], Redelivered = [], Phantoms = 0 }).Sample(scenario =>
        {
            var counts = LedgerChecker.Check(Build(scenario)).Counts;
            return counts is { Lost: 0, DuplicateWrites: 0, Redeliveries: 0, Phantoms: 0, OutOfOrder: 0, LostUnacked: 0, UnackedButDelivered: 0 };
        }, iter: 300);
    }

    /// <summary>
    /// Each message gets an offset in its partition in sequence order; a duplicated one is stored again
    /// at the end of its partition; consumers read everything but the lost ones, in a shuffled order.
    /// </summary>
    private static History Build(Scenario s)
    {
        var produced = new List<ProduceOutcome>();
        var stored = new List<ConsumedRecord>();
        var nextOffset = new long[s.Partitions];
        for (var seq = 0; seq < s.Messages; seq++)
        {
            var partition = seq % s.Partitions;
            var offset = nextOffset[partition]++;
            produced.Add(new ProduceOutcome("p0", seq, ProduceStatus.Acked, partition, offset, seq));
            if (!s.Lost.Contains(seq))
            {
                stored.Add(new ConsumedRecord("c0", "p0", seq, partition, offset, seq));
            }
        }

        foreach (var seq in s.Duplicated.Order())
        {
            var partition = seq % s.Partitions;
            stored.Add(new ConsumedRecord("c0", "p0", seq, partition, nextOffset[partition]++, seq));
        }

        var consumed = s.Order.Where(i => i < stored.Count).Select(i => stored[i]).Concat(stored.Skip(s.Order.Length)).ToList();
        foreach (var seq in s.Redelivered.Order())
        {
            consumed.Add(stored.First(r => r.Sequence == seq));
        }

        for (var i = 0; i < s.Phantoms; i++)
        {
            consumed.Add(new ConsumedRecord("c0", null, null, 0, 1_000_000 + i, 0, "envelope checksum mismatch"));
        }

        return new History(produced, consumed, []);
    }
}
