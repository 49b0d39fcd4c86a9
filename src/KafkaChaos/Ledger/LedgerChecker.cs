using KafkaChaos.Journal;

namespace KafkaChaos.Ledger;

/// <summary>
/// The checker: a pure, deterministic function from a <see cref="History"/> to a <see cref="LedgerVerdict"/>.
/// </summary>
/// <remarks>
/// <para>
/// A message is identified by producer + sequence; where it was stored by partition + offset. Stored
/// positions come from acks and from what consumers read, so a duplicate that no consumer read and no
/// ack reported cannot be seen; that is a limit of any black-box checker, stated in docs/results.md.
/// </para>
/// <para>
/// It streams: produced outcomes once, consumed records once, produced outcomes again, holding only
/// <see cref="SequenceSet"/>s, which cost almost nothing for in-order numbers, so 10^8 messages check
/// in bounded memory. Out-of-order is judged in the order each partition was read, which is offset
/// order. Examples are the first ones met in journal order, so the same history always gives the same
/// verdict.
/// </para>
/// </remarks>
public static class LedgerChecker
{
    public const int MaxExamples = 20;

    public static LedgerVerdict Check(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var run = new Run(history);
        run.ReadOutcomes();
        run.ReadConsumption();
        run.SettleOutcomes();
        run.FindUnackedDeliveredPositions();
        return run.Verdict();
    }

    /// <summary>
    /// Walks a history stream, over a span when it is an array or a list (the checker's hot loops then
    /// cost no interface call per event), through the enumerator otherwise (a journal on disk).
    /// </summary>
    private static void Each<T, TVisitor>(IEnumerable<T> items, ref TVisitor visitor)
        where TVisitor : struct, IVisitor<T>
    {
        if (items is T[] array)
        {
            foreach (ref readonly var item in array.AsSpan())
            {
                visitor.Visit(in item);
            }
        }
        else if (items is List<T> list)
        {
            foreach (ref readonly var item in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list))
            {
                visitor.Visit(in item);
            }
        }
        else
        {
            foreach (var item in items)
            {
                visitor.Visit(in item);
            }
        }
    }

    private interface IVisitor<T>
    {
        void Visit(in T item);
    }

    private readonly struct OutcomeReader(Run run) : IVisitor<ProduceOutcome>
    {
        public void Visit(in ProduceOutcome item) => run.ReadOutcome(in item);
    }

    private readonly struct ConsumptionReader(Run run) : IVisitor<ConsumedRecord>
    {
        public void Visit(in ConsumedRecord item) => run.ReadRecord(in item);
    }

    private readonly struct OutcomeSettler(Run run) : IVisitor<ProduceOutcome>
    {
        public void Visit(in ProduceOutcome item) => run.SettleOutcome(in item);
    }

    private sealed class Run(History history)
    {
        private readonly FaultEvent[] _faults = history.Faults.OrderBy(f => f.TimestampMs).ToArray();
        private readonly Dictionary<int, ProducerLedger> _producers = [];
        private readonly List<SequenceSet?> _partitionOffsets = [];
        private readonly TimelineBuilder _timeline = new();
        private readonly Dictionary<string, List<AnomalyExample>> _examples = new(StringComparer.Ordinal)
        {
            ["lost"] = [],
            ["unacked_but_delivered"] = [],
            ["duplicate_writes"] = [],
            ["redeliveries"] = [],
            ["duplicates_processed"] = [],
            ["phantoms"] = [],
            ["out_of_order"] = [],
        };

        private readonly List<(int Producer, long Sequence, long TimestampMs)> _unackedDelivered = [];
        private ProducerLedger? _last;
        private bool _repeatedOutcomes;
        private long _sent, _acked, _failed, _unknown, _consumed, _abandoned, _lost, _lostUnacked, _unackedButDelivered;
        private long _duplicateWrites, _redeliveries, _duplicatesProcessed, _phantoms, _outOfOrder;

        /// <summary>Pass 1: every send's first outcome.</summary>
        public void ReadOutcomes()
        {
            var visitor = new OutcomeReader(this);
            Each(history.Produced, ref visitor);
        }

        public void ReadOutcome(in ProduceOutcome outcome)
        {
            var producer = Producer(outcome.Producer);
            if (!producer.Sent.Add(outcome.Sequence))
            {
                _repeatedOutcomes = true;
                return; // A second outcome for one attempt would be a harness bug; the first counts.
            }

            _sent++;
            _timeline.Outcome(outcome.TimestampMs, outcome.Status);
            switch (outcome.Status)
            {
                case ProduceStatus.Acked: _acked++; break;
                case ProduceStatus.Failed: _failed++; break;
                default: _unknown++; break;
            }
        }

        /// <summary>Pass 2: every delivery, in the order consumers journalled them.</summary>
        public void ReadConsumption()
        {
            var visitor = new ConsumptionReader(this);
            Each(history.Consumed, ref visitor);
        }

        public void ReadRecord(in ConsumedRecord record)
        {
            if (record.Kind == ConsumeKind.Abandoned)
            {
                _abandoned++;
                return;
            }

            _consumed++;
            _timeline.Consumption(record.TimestampMs);
            var firstDelivery = PartitionOffsets(record.Partition).Add(record.Offset);
            if (!firstDelivery)
            {
                _redeliveries++;
                Example("redeliveries", record);
            }

            var producer = record.Kind == ConsumeKind.Unreadable ? null : KnownProducer(record.Producer);
            if (producer is null || !producer.WasSent(record.Sequence))
            {
                if (firstDelivery)
                {
                    _phantoms++;
                    Example("phantoms", record);
                }

                return;
            }

            if (firstDelivery)
            {
                if (!producer.Delivered.Add(record.Sequence))
                {
                    // A second stored copy; where the first copy sat decides the order, not this one.
                    _duplicateWrites++;
                    Example("duplicate_writes", record);
                }
                else if (!producer.CheckOrder(record.Partition, record.Sequence))
                {
                    _outOfOrder++;
                    Example("out_of_order", record);
                }
            }

            if (record.Kind == ConsumeKind.Processed && !producer.Processed.Add(record.Sequence))
            {
                _duplicatesProcessed++;
                Example("duplicates_processed", record);
            }
        }

        /// <summary>Pass 3: each send's fate, now that every delivery is known.</summary>
        public void SettleOutcomes()
        {
            var visitor = new OutcomeSettler(this);
            Each(history.Produced, ref visitor);
        }

        public void SettleOutcome(in ProduceOutcome outcome)
        {
            var producer = Producer(outcome.Producer);
            // Only when pass 1 met a repeated outcome is it worth remembering which ones were settled.
            if (_repeatedOutcomes && !producer.Settled.Add(outcome.Sequence))
            {
                return;
            }

            var delivered = producer.Delivered.Contains(outcome.Sequence);
            if (outcome.Status == ProduceStatus.Acked)
            {
                if (!delivered)
                {
                    _lost++;
                    Example("lost", outcome.Producer, outcome.Sequence, outcome.HasPosition ? outcome.Partition : null,
                        outcome.HasPosition ? outcome.Offset : null, outcome.TimestampMs);
                }
                else if (outcome.HasPosition && !PartitionOffsets(outcome.Partition).Contains(outcome.Offset))
                {
                    // Read at some other offset, never at the one acked: two stored copies.
                    _duplicateWrites++;
                    Example("duplicate_writes", outcome.Producer, outcome.Sequence, outcome.Partition, outcome.Offset, outcome.TimestampMs);
                }
            }
            else if (delivered)
            {
                _unackedButDelivered++;
                if (_unackedDelivered.Count < MaxExamples)
                {
                    _unackedDelivered.Add((outcome.Producer, outcome.Sequence, outcome.TimestampMs));
                }
            }
            else
            {
                _lostUnacked++;
            }
        }

        /// <summary>Pass 4, only when needed: where the first unacked-but-delivered examples were read.</summary>
        public void FindUnackedDeliveredPositions()
        {
            if (_unackedDelivered.Count == 0)
            {
                return;
            }

            var wanted = _unackedDelivered.ToDictionary(e => (e.Producer, e.Sequence), e => e.TimestampMs);
            var found = new Dictionary<(int, long), (int Partition, long Offset)>();
            foreach (var record in history.Consumed)
            {
                if (record.Kind is ConsumeKind.Processed or ConsumeKind.DuplicateSkipped
                    && wanted.ContainsKey((record.Producer, record.Sequence)))
                {
                    found.TryAdd((record.Producer, record.Sequence), (record.Partition, record.Offset));
                    if (found.Count == wanted.Count)
                    {
                        break;
                    }
                }
            }

            foreach (var (producer, sequence, timestampMs) in _unackedDelivered)
            {
                var position = found.GetValueOrDefault((producer, sequence), (-1, -1));
                Example("unacked_but_delivered", producer, sequence, position.Partition >= 0 ? position.Partition : null,
                    position.Offset >= 0 ? position.Offset : null, timestampMs);
            }
        }

        public LedgerVerdict Verdict()
        {
            var counts = new LedgerCounts
            {
                Sent = _sent,
                Acked = _acked,
                Failed = _failed,
                Unknown = _unknown,
                Consumed = _consumed,
                Lost = _lost,
                LostUnacked = _lostUnacked,
                UnackedButDelivered = _unackedButDelivered,
                DuplicateWrites = _duplicateWrites,
                Redeliveries = _redeliveries,
                DuplicatesProcessed = _duplicatesProcessed,
                Phantoms = _phantoms,
                OutOfOrder = _outOfOrder,
                Abandoned = _abandoned,
            };
            var examples = _examples.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<AnomalyExample>)kv.Value, StringComparer.Ordinal);
            var notApplied = _faults.Where(f => f.Phase == FaultPhase.NotApplied).Select(f => $"{f.Fault} on {f.Target}: {f.Detail}").ToArray();
            return new LedgerVerdict(counts, examples, _timeline.Build(), history.Truncated, notApplied);
        }

        private ProducerLedger Producer(int id)
        {
            if (_last is { } last && last.Id == id)
            {
                return last;
            }

            if (!_producers.TryGetValue(id, out var producer))
            {
                _producers[id] = producer = new ProducerLedger(id);
            }

            return _last = producer;
        }

        private SequenceSet PartitionOffsets(int partition)
        {
            while (_partitionOffsets.Count <= partition)
            {
                _partitionOffsets.Add(null);
            }

            return _partitionOffsets[partition] ??= new SequenceSet();
        }

        private ProducerLedger? KnownProducer(int id) =>
            _last is { } last && last.Id == id ? last : _producers.TryGetValue(id, out var producer) ? _last = producer : null;

        private void Example(string anomaly, in ConsumedRecord record)
        {
            if (_examples[anomaly].Count < MaxExamples)
            {
                var readable = record.Kind != ConsumeKind.Unreadable;
                _examples[anomaly].Add(new AnomalyExample(
                    readable ? history.ProducerName(record.Producer) : null,
                    readable ? record.Sequence : null,
                    record.Partition,
                    record.Offset,
                    Nearest(record.TimestampMs)));
            }
        }

        private void Example(string anomaly, int producer, long sequence, int? partition, long? offset, long timestampMs)
        {
            if (_examples[anomaly].Count < MaxExamples)
            {
                _examples[anomaly].Add(new AnomalyExample(history.ProducerName(producer), sequence, partition, offset, Nearest(timestampMs)));
            }
        }

        /// <summary>The fault event closest in time, described with its distance, or null when there were none.</summary>
        private string? Nearest(long timestampMs)
        {
            if (_faults.Length == 0)
            {
                return null;
            }

            int low = 0, high = _faults.Length - 1;
            while (low < high)
            {
                var mid = (low + high) >>> 1;
                if (_faults[mid].TimestampMs < timestampMs)
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid;
                }
            }

            var best = _faults[low];
            if (low > 0 && Math.Abs(_faults[low - 1].TimestampMs - timestampMs) <= Math.Abs(best.TimestampMs - timestampMs))
            {
                best = _faults[low - 1];
            }

            var delta = best.TimestampMs - timestampMs;
            var when = delta >= 0 ? $"{delta} ms after" : $"{-delta} ms before";
            return $"{best.Fault} {FaultPhaseNames.ToName(best.Phase)} on {best.Target}, {when}";
        }
    }

    /// <summary>What the checker knows of one producer's sequences.</summary>
    private sealed class ProducerLedger(int id)
    {
        private readonly List<long> _highestInPartition = [];

        public int Id { get; } = id;

        /// <summary>Sequences read at least once (at any offset, by any consumer).</summary>
        public SequenceSet Delivered { get; } = new();

        /// <summary>Sequences whose processing ran at least once.</summary>
        public SequenceSet Processed { get; } = new();

        /// <summary>Sequences already settled in pass 3 (first outcome only).</summary>
        public SequenceSet Settled { get; } = new();

        /// <summary>Sequences with an outcome, whatever it was.</summary>
        public SequenceSet Sent { get; } = new();

        public bool WasSent(long sequence) => Sent.Contains(sequence);

        /// <returns>False when a higher sequence of this producer was already read at a lower offset of the partition.</returns>
        public bool CheckOrder(int partition, long sequence)
        {
            while (_highestInPartition.Count <= partition)
            {
                _highestInPartition.Add(long.MinValue);
            }

            if (sequence < _highestInPartition[partition])
            {
                return false;
            }

            _highestInPartition[partition] = sequence;
            return true;
        }
    }
}
