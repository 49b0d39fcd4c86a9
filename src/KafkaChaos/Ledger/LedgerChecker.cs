using KafkaChaos.Journal;

namespace KafkaChaos.Ledger;

/// <summary>
/// The checker: a pure, deterministic function from a <see cref="History"/> to a <see cref="LedgerVerdict"/>.
/// </summary>
/// <remarks>
/// A message is identified by producer + sequence; where it was stored by partition + offset. Stored
/// positions come from acks and from what consumers read, so a duplicate that no consumer read and no
/// ack reported cannot be seen — that is a limit of any black-box checker, stated in docs/results.md.
/// Examples are picked in (producer, sequence) or (partition, offset) order, so the same history always
/// gives the same verdict.
/// </remarks>
public static class LedgerChecker
{
    public const int MaxExamples = 20;

    public static LedgerVerdict Check(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var faults = history.Faults.OrderBy(f => f.TimestampMs).ToArray();

        var messages = new Dictionary<(string Producer, long Sequence), MessageState>();
        foreach (var outcome in history.Produced)
        {
            // A second outcome for one attempt would be a harness bug; the first one recorded counts.
            messages.TryAdd((outcome.Producer, outcome.Sequence), new MessageState(outcome));
        }

        var processings = new Dictionary<(int Partition, long Offset), int>();
        var phantomExamples = new List<AnomalyExample>();
        long phantoms = 0;
        foreach (var record in history.Consumed)
        {
            var position = (record.Partition, record.Offset);
            processings[position] = processings.GetValueOrDefault(position) + 1;

            if (record.Producer is null || record.Sequence is null
                || !messages.TryGetValue((record.Producer, record.Sequence.Value), out var state))
            {
                phantoms++;
                if (phantomExamples.Count < MaxExamples)
                {
                    phantomExamples.Add(new AnomalyExample(record.Producer, record.Sequence, record.Partition, record.Offset, Nearest(faults, record.TimestampMs)));
                }

                continue;
            }

            state.Consumed = true;
            state.Positions.Add(position);
        }

        long acked = 0, failed = 0, unknown = 0, lost = 0, lostUnacked = 0, unackedButDelivered = 0, duplicateWrites = 0;
        var lostExamples = new List<AnomalyExample>();
        var unackedDeliveredExamples = new List<AnomalyExample>();
        var duplicateWriteExamples = new List<AnomalyExample>();
        var firstOffsets = new Dictionary<(string Producer, int Partition), List<(long Offset, long Sequence)>>();

        foreach (var ((producer, sequence), state) in messages.OrderBy(kv => kv.Key.Producer, StringComparer.Ordinal).ThenBy(kv => kv.Key.Sequence))
        {
            var outcome = state.Outcome;
            switch (outcome.Status)
            {
                case ProduceStatus.Acked: acked++; break;
                case ProduceStatus.Failed: failed++; break;
                default: unknown++; break;
            }

            if (outcome is { Status: ProduceStatus.Acked, Partition: { } ackPartition, Offset: >= 0 and var ackOffset })
            {
                state.Positions.Add((ackPartition, ackOffset));
            }

            if (!state.Consumed)
            {
                if (outcome.Status == ProduceStatus.Acked)
                {
                    lost++;
                    AddExample(lostExamples, producer, sequence, outcome.Partition, outcome.Offset, Nearest(faults, outcome.TimestampMs));
                }
                else
                {
                    lostUnacked++;
                }
            }
            else if (outcome.Status != ProduceStatus.Acked)
            {
                unackedButDelivered++;
                var (partition, offset) = state.Positions.Min();
                AddExample(unackedDeliveredExamples, producer, sequence, partition, offset, Nearest(faults, outcome.TimestampMs));
            }

            if (state.Positions.Count > 1)
            {
                duplicateWrites += state.Positions.Count - 1;
                var (partition, offset) = state.Positions.Max();
                AddExample(duplicateWriteExamples, producer, sequence, partition, offset, Nearest(faults, outcome.TimestampMs));
            }

            foreach (var partitionGroup in state.Positions.GroupBy(p => p.Partition))
            {
                var key = (producer, partitionGroup.Key);
                if (!firstOffsets.TryGetValue(key, out var list))
                {
                    firstOffsets[key] = list = [];
                }

                list.Add((partitionGroup.Min(p => p.Offset), sequence));
            }
        }

        long redeliveries = 0;
        var redeliveryExamples = new List<AnomalyExample>();
        foreach (var ((partition, offset), count) in processings.Where(kv => kv.Value > 1).OrderBy(kv => kv.Key))
        {
            redeliveries += count - 1;
            if (redeliveryExamples.Count < MaxExamples)
            {
                var record = history.Consumed.First(r => r.Partition == partition && r.Offset == offset);
                redeliveryExamples.Add(new AnomalyExample(record.Producer, record.Sequence, partition, offset, Nearest(faults, record.TimestampMs)));
            }
        }

        long outOfOrder = 0;
        var outOfOrderExamples = new List<AnomalyExample>();
        foreach (var ((producer, partition), stored) in firstOffsets.OrderBy(kv => kv.Key.Producer, StringComparer.Ordinal).ThenBy(kv => kv.Key.Partition))
        {
            stored.Sort();
            var highest = long.MinValue;
            foreach (var (offset, sequence) in stored)
            {
                if (sequence < highest)
                {
                    outOfOrder++;
                    AddExample(outOfOrderExamples, producer, sequence, partition, offset, null);
                }

                highest = Math.Max(highest, sequence);
            }
        }

        var counts = new LedgerCounts
        {
            Sent = messages.Count,
            Acked = acked,
            Failed = failed,
            Unknown = unknown,
            Consumed = history.Consumed.Count,
            Lost = lost,
            LostUnacked = lostUnacked,
            UnackedButDelivered = unackedButDelivered,
            DuplicateWrites = duplicateWrites,
            Redeliveries = redeliveries,
            Phantoms = phantoms,
            OutOfOrder = outOfOrder,
        };

        var examples = new Dictionary<string, IReadOnlyList<AnomalyExample>>(StringComparer.Ordinal)
        {
            ["lost"] = lostExamples,
            ["unacked_but_delivered"] = unackedDeliveredExamples,
            ["duplicate_writes"] = duplicateWriteExamples,
            ["redeliveries"] = redeliveryExamples,
            ["phantoms"] = phantomExamples,
            ["out_of_order"] = outOfOrderExamples,
        };

        return new LedgerVerdict(counts, examples, history.Truncated);
    }

    private static void AddExample(List<AnomalyExample> examples, string producer, long sequence, int? partition, long? offset, string? nearestFault)
    {
        if (examples.Count < MaxExamples)
        {
            examples.Add(new AnomalyExample(producer, sequence, partition, offset, nearestFault));
        }
    }

    /// <summary>The fault event closest in time, described with its distance, or null when there were none.</summary>
    private static string? Nearest(FaultEvent[] faults, long timestampMs)
    {
        if (faults.Length == 0)
        {
            return null;
        }

        var best = faults.MinBy(f => Math.Abs(f.TimestampMs - timestampMs))!;
        var delta = best.TimestampMs - timestampMs;
        var when = delta >= 0 ? $"{delta} ms after" : $"{-delta} ms before";
        return $"{best.Fault} {FaultPhaseNames.ToName(best.Phase)} on {best.Target}, {when}";
    }

    private sealed class MessageState(ProduceOutcome outcome)
    {
        public ProduceOutcome Outcome { get; } = outcome;
        public bool Consumed { get; set; }
        public SortedSet<(int Partition, long Offset)> Positions { get; } = [];
    }
}
