using KafkaChaos.Journal;

namespace KafkaChaos.Ledger;

/// <summary>
/// The checker: a pure, deterministic function from a <see cref="History"/> to a <see cref="LedgerVerdict"/>.
/// </summary>
/// <remarks>
/// <para>
/// A message is identified by producer + sequence; where it was stored by partition + offset. Durability
/// is judged on the final log, read after the heal from the beginning of every partition by a reader
/// outside the group: a message the group read and Kafka later truncated is lost, not delivered.
/// Delivery is judged on what the group read and processed. A history without a final read (journal
/// format 1, an interrupted run) is judged as before it existed: stored means read by the group, and the
/// counts that need the final log are null.
/// </para>
/// <para>
/// It streams: produced outcomes, the final read, the group's records, produced outcomes again. It holds
/// <see cref="SequenceSet"/>s, which cost almost nothing for in-order numbers, and the final log's
/// offset-to-message index (<see cref="FinalLogIndex"/>, 8 bytes per record). Examples are the first
/// ones met in journal order, so the same history always gives the same verdict.
/// </para>
/// </remarks>
public static class LedgerChecker
{
    public const int MaxExamples = 20;

    /// <summary>librdkafka queues at most 10^7 messages (queue.buffering.max.messages); one journal flush adds far fewer.</summary>
    public const long MaxStartedWithoutOutcome = 20_000_000;

    public static LedgerVerdict Check(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var run = new Run(history);
        run.ReadOutcomes();
        run.AddStartedWithoutOutcome();
        run.ReadFinalLog();
        run.ReadConsumption();
        run.SettleOutcomes();
        run.FindStoredPositions();
        run.FindNeverProcessed();
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

    private readonly struct FinalReader(Run run) : IVisitor<ConsumedRecord>
    {
        public void Visit(in ConsumedRecord item) => run.ReadFinalRecord(in item);
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
        /// <summary>Nothing read in the current assignment (or none at all) of an instance's partition.</summary>
        private static readonly (long Last, long Highest) NothingRead = (-1, -1);

        private readonly FaultEvent[] _faults = history.Faults.OrderBy(f => f.TimestampMs).ToArray();
        private readonly bool _final = history.HasFinalRead;
        private readonly bool _finalComplete = history.FinalReadEnd is { Complete: true };
        private readonly bool _assignments = history.HasAssignments;
        private readonly Dictionary<int, ProducerLedger> _producers = [];
        private readonly List<SequenceSet?> _partitionOffsets = [];
        private readonly FinalLogIndex _finalLog = new();

        /// <summary>Per partition, one past the highest offset the final read reached: an incomplete read judges nothing above it.</summary>
        private readonly List<long> _finalReached = [];
        private readonly Dictionary<(int Partition, long Offset), ulong> _readBeyondFinalLog = [];
        private readonly HashSet<(int Partition, long Offset)> _inconsistent = [];
        private readonly Dictionary<int, List<(long Last, long Highest)>> _positions = [];
        private readonly List<(int Consumer, int Partition, long From, long To, long TimestampMs)> _gaps = [];
        private readonly TimelineBuilder _timeline = new();
        private readonly Dictionary<string, List<AnomalyExample>> _examples = LedgerCountCatalog.All
            .Where(c => c.IsAnomaly || c.Name is "unacked_but_delivered")
            .ToDictionary(c => c.Name, _ => new List<AnomalyExample>(), StringComparer.Ordinal);

        private readonly List<(string Count, int Producer, long Sequence, long TimestampMs)> _storedUnacked = [];
        private ProducerLedger? _last;
        private int _lastConsumer = int.MinValue;
        private List<(long Last, long Highest)>? _lastPositions;
        private bool _repeatedOutcomes;
        private List<(int Producer, long Sequence)>? _startedWithoutOutcome;

        /// <summary>Per message sent more than once, the best of its outcomes after the first.</summary>
        private readonly Dictionary<(int Producer, long Sequence), ProduceOutcome> _repeats = [];

        /// <summary>Messages the final log holds more than once: their fate is "duplicated".</summary>
        private readonly HashSet<(int Producer, long Sequence)> _duplicated = [];
        private FateTimelineBuilder _fates = new(0, 0);
        private long _resent;
        private long _sent, _acked, _failed, _unknown, _consumed, _abandoned, _lost, _lostAfterRead, _lostUnacked, _unackedButDelivered, _failedButStored;
        private long _duplicateWrites, _redeliveries, _redeliveriesWithin, _duplicatesProcessed, _phantoms, _outOfOrder;
        private long _processedInFinalLog, _neverProcessed, _pollSkips, _nonmonotonicPolls, _unreadAcked;

        /// <summary>Pass 1: every send's first outcome.</summary>
        public void ReadOutcomes()
        {
            var visitor = new OutcomeReader(this);
            Each(history.Produced, ref visitor);
        }

        public void ReadOutcome(in ProduceOutcome outcome)
        {
            var producer = Producer(outcome.Producer);
            _timeline.Outcome(outcome.TimestampMs, outcome.Status); // every attempt, resends too
            if (!producer.Sent.Add(outcome.Sequence))
            {
                // A resend (restart-producer with resend: unknown): one message, sent again. Its best outcome
                // counts, settled in pass 4 against the first, which this pass has already counted.
                _repeatedOutcomes = true;
                _resent++;
                var key = (outcome.Producer, outcome.Sequence);
                _repeats[key] = _repeats.TryGetValue(key, out var earlier) ? Best(earlier, outcome) : outcome;
                return;
            }

            _sent++;
            Count(outcome.Status, +1);
        }

        private void Count(ProduceStatus status, int by)
        {
            switch (status)
            {
                case ProduceStatus.Acked: _acked += by; break;
                case ProduceStatus.Failed: _failed += by; break;
                default: _unknown += by; break;
            }
        }

        /// <summary>
        /// Of two outcomes of one message, the one that binds: an acknowledgement (the earlier of two), else
        /// an unknown (some attempt may have been stored), else a failure (every attempt definitely failed).
        /// </summary>
        private static ProduceOutcome Best(in ProduceOutcome earlier, in ProduceOutcome later) =>
            Rank(later.Status) > Rank(earlier.Status) ? later : earlier;

        private static int Rank(ProduceStatus status) => status switch
        {
            ProduceStatus.Acked => 2,
            ProduceStatus.Unknown => 1,
            _ => 0,
        };

        /// <summary>
        /// Pass 1b: sends a producer started (journal format 3) that have no outcome, because the tool died
        /// before its journal flushed them: unknown, in flight at the crash. A completed run has none.
        /// </summary>
        public void AddStartedWithoutOutcome()
        {
            foreach (var (id, count) in history.StartedSends)
            {
                var producer = Producer(id);
                if (producer.Sent.Count >= count)
                {
                    continue; // every started send has its outcome
                }

                if (count - producer.Sent.Count > MaxStartedWithoutOutcome)
                {
                    throw new JournalFormatException($"{StartedSends.FileName}: {history.ProducerName(id)} started {count} sends, {count - producer.Sent.Count} more than "
                        + $"{JournalWriter.ProducedFileName} has outcomes for; a crash leaves at most the client's queue and one flush without outcomes, so the file is damaged");
                }

                for (long sequence = 0; sequence < count; sequence++)
                {
                    if (producer.Sent.Add(sequence))
                    {
                        _sent++;
                        _unknown++;
                        (_startedWithoutOutcome ??= []).Add((id, sequence));
                    }
                }
            }
        }

        /// <summary>Pass 2, with a final read: what the log holds, where, in how many copies and in what order.</summary>
        public void ReadFinalLog()
        {
            if (_final)
            {
                var visitor = new FinalReader(this);
                Each(history.FinalRead, ref visitor);
            }
        }

        public void ReadFinalRecord(in ConsumedRecord record)
        {
            if (!_finalComplete)
            {
                while (_finalReached.Count <= record.Partition)
                {
                    _finalReached.Add(0);
                }

                _finalReached[record.Partition] = Math.Max(_finalReached[record.Partition], record.Offset + 1);
            }

            var producer = record.Kind == ConsumeKind.Unreadable ? null : KnownProducer(record.Producer);
            if (producer is null || !producer.WasSent(record.Sequence))
            {
                if (_finalLog.Set(record.Partition, record.Offset, FinalLogIndex.Unreadable) == FinalLogIndex.Absent)
                {
                    _phantoms++;
                    Example("phantoms", record);
                }

                return;
            }

            if (_finalLog.Set(record.Partition, record.Offset, FinalLogIndex.Message(record.Producer, record.Sequence)) != FinalLogIndex.Absent)
            {
                return; // The same offset read twice by the final reader: the first read counts.
            }

            if (!producer.InFinalLog.Add(record.Sequence))
            {
                _duplicateWrites++;
                _duplicated.Add((record.Producer, record.Sequence));
                Example("duplicate_writes", record);
            }
            else if (!producer.CheckOrder(record.Partition, record.Sequence))
            {
                _outOfOrder++;
                Example("out_of_order", record);
            }
        }

        /// <summary>Pass 3: every record the group was given, and every assignment change, in the order consumers journalled them.</summary>
        public void ReadConsumption()
        {
            var visitor = new ConsumptionReader(this);
            Each(history.Consumed, ref visitor);
        }

        public void ReadRecord(in ConsumedRecord record)
        {
            if (_assignments && !TrackPosition(in record))
            {
                return; // an assignment change
            }

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

            if (_final)
            {
                ReadAgainstFinalLog(in record, firstDelivery);
            }
            else
            {
                ReadAlone(in record, firstDelivery);
            }
        }

        /// <summary>Without a final read the group's reads are all there is: they decide what was stored, in how many copies and in what order.</summary>
        private void ReadAlone(in ConsumedRecord record, bool firstDelivery)
        {
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
                    _duplicated.Add((record.Producer, record.Sequence));
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

        /// <summary>With a final read the log decided copies and order; a group read adds what was delivered and processed, and is compared with what the log holds at its offset.</summary>
        private void ReadAgainstFinalLog(in ConsumedRecord record, bool firstDelivery)
        {
            var producer = record.Kind == ConsumeKind.Unreadable ? null : KnownProducer(record.Producer);
            var message = producer is null ? FinalLogIndex.Unreadable : FinalLogIndex.Message(record.Producer, record.Sequence);
            var held = _finalLog.Get(record.Partition, record.Offset);
            // The final read indexed only messages this run sent, so a match needs no further look-up.
            var matches = held == message && message is not (FinalLogIndex.Absent or FinalLogIndex.Unreadable);
            var known = producer is not null && (matches || producer.WasSent(record.Sequence));
            if (held != message)
            {
                CompareWithFinalLog(record.Partition, record.Offset, held, known ? message : FinalLogIndex.Unreadable, record.TimestampMs);
            }

            if (!known)
            {
                // A record the log still holds was judged there, once per offset.
                if (firstDelivery && held == FinalLogIndex.Absent)
                {
                    _phantoms++;
                    Example("phantoms", record);
                }

                return;
            }

            if (firstDelivery)
            {
                producer!.Delivered.Add(record.Sequence);
            }

            if (record.Kind == ConsumeKind.Processed)
            {
                if (!producer!.Processed.Add(record.Sequence))
                {
                    _duplicatesProcessed++;
                    Example("duplicates_processed", record);
                }
                else if (matches || producer.InFinalLog.Contains(record.Sequence))
                {
                    _processedInFinalLog++;
                }
            }
        }

        /// <summary>
        /// Follows each instance's position in each partition through its assignments: a read at or
        /// below the last one of the same assignment is a rewind, a read at or below the highest one a
        /// redelivery within the assignment, a read past the next offset a candidate skip (judged against
        /// the final log once it is known).
        /// </summary>
        /// <returns>False for an assignment change, which is not a record.</returns>
        private bool TrackPosition(in ConsumedRecord record)
        {
            var positions = Positions(record.Consumer);
            while (positions.Count <= record.Partition)
            {
                positions.Add(NothingRead);
            }

            if (record.Kind.IsAssignmentChange())
            {
                positions[record.Partition] = NothingRead;
                return false;
            }

            var (last, highest) = positions[record.Partition];
            if (last >= 0)
            {
                if (record.Offset <= last)
                {
                    _nonmonotonicPolls++;
                    Example("nonmonotonic_poll", record, $"{ClientNames.Consumer(record.Consumer)} read offset {record.Offset} after {last}");
                }
                else if (record.Offset > last + 1 && _final)
                {
                    // A gap is a skip only where the final log holds the skipped offsets; without one it is never judged.
                    _gaps.Add((record.Consumer, record.Partition, last + 1, record.Offset - 1, record.TimestampMs));
                }
            }

            if (record.Offset <= highest && record.Kind != ConsumeKind.Abandoned && PartitionOffsets(record.Partition).Contains(record.Offset))
            {
                _redeliveriesWithin++;
            }

            positions[record.Partition] = (record.Offset, Math.Max(highest, record.Offset));
            return true;
        }

        /// <summary>
        /// Records an inconsistency when the final log (<paramref name="held"/>, what it holds at that
        /// offset) or, past its end, an earlier observation holds a different message there.
        /// </summary>
        private void CompareWithFinalLog(int partition, long offset, ulong held, ulong message, long timestampMs)
        {
            if (held != FinalLogIndex.Absent)
            {
                if (held != message && message != FinalLogIndex.Absent)
                {
                    Inconsistent(partition, offset, held, timestampMs);
                }

                return;
            }

            // Past what the final log holds (truncated and never written again): compare the observations
            // with each other. Only a complete final read says where the log ends.
            if (_finalComplete && message != FinalLogIndex.Absent)
            {
                ref var seen = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_readBeyondFinalLog, (partition, offset), out var exists);
                if (!exists)
                {
                    seen = message;
                }
                else if (seen != message)
                {
                    Inconsistent(partition, offset, seen, timestampMs);
                }
            }
        }

        private void Inconsistent(int partition, long offset, ulong held, long timestampMs)
        {
            if (_inconsistent.Add((partition, offset)))
            {
                var detail = held == FinalLogIndex.Unreadable ? "the other copy is not a message of this run" : null;
                Example("inconsistent_offsets", null, null, partition, offset, timestampMs, detail);
            }
        }

        /// <summary>Pass 4: each send's fate, now that the final log and every delivery are known.</summary>
        public void SettleOutcomes()
        {
            _fates = new FateTimelineBuilder(_timeline.Span.StartMs, _timeline.Span.EndMs);
            var visitor = new OutcomeSettler(this);
            Each(history.Produced, ref visitor);
            foreach (var (id, sequence) in _startedWithoutOutcome ?? [])
            {
                var producer = Producer(id);
                SettleUnacknowledged(ProduceStatus.Unknown, id, sequence, 0,
                    _final ? producer.InFinalLog.Contains(sequence) : producer.Delivered.Contains(sequence));
            }

            foreach (var (consumer, partition, from, to, timestampMs) in _gaps)
            {
                if (_finalLog.AnyIn(partition, from, to))
                {
                    _pollSkips++;
                    Example("poll_skip", null, null, partition, from, timestampMs,
                        $"{ClientNames.Consumer(consumer)} read offset {to + 1} after {from - 1}, over offsets the log holds");
                }
            }
        }

        public void SettleOutcome(in ProduceOutcome first)
        {
            var producer = Producer(first.Producer);
            var outcome = first;
            // Only when pass 1 met a repeated outcome is it worth remembering which ones were settled.
            if (_repeatedOutcomes)
            {
                if (!producer.Settled.Add(first.Sequence))
                {
                    return;
                }

                if (_repeats.TryGetValue((first.Producer, first.Sequence), out var repeat) && (outcome = Best(first, repeat)).Status != first.Status)
                {
                    Count(first.Status, -1);
                    Count(outcome.Status, +1);
                }
            }

            bool stored;
            if (_final && outcome.Status == ProduceStatus.Acked && outcome.HasPosition)
            {
                // Where the log holds this very message at its acknowledged offset, that answers both questions.
                var message = FinalLogIndex.Message(outcome.Producer, outcome.Sequence);
                var held = _finalLog.Get(outcome.Partition, outcome.Offset);
                stored = (held == message && message != FinalLogIndex.Absent) || producer.InFinalLog.Contains(outcome.Sequence);
                if (held != message)
                {
                    CompareWithFinalLog(outcome.Partition, outcome.Offset, held, message, outcome.TimestampMs);
                }
            }
            else
            {
                stored = _final ? producer.InFinalLog.Contains(outcome.Sequence) : producer.Delivered.Contains(outcome.Sequence);
            }

            if (outcome.Status == ProduceStatus.Acked)
            {

                if (!stored && _final && !_finalComplete
                    && !(outcome.HasPosition && outcome.Partition < _finalReached.Count && outcome.Offset < _finalReached[outcome.Partition]))
                {
                    // The final read stopped short of where this message was acknowledged: unread, never counted lost.
                    _unreadAcked++;
                }
                else if (!stored)
                {
                    _lost++;
                    var read = _final && producer.Delivered.Contains(outcome.Sequence);
                    _fates.Add(Position(outcome).Partition, outcome.TimestampMs, read ? MessageFate.LostAfterRead : MessageFate.Lost);
                    if (read)
                    {
                        _lostAfterRead++;
                        Example("lost_after_read", outcome.Producer, outcome.Sequence, Position(outcome).Partition, Position(outcome).Offset, outcome.TimestampMs);
                    }

                    Example("lost", outcome.Producer, outcome.Sequence, Position(outcome).Partition, Position(outcome).Offset, outcome.TimestampMs);
                }
                else if (!_final && outcome.HasPosition && !PartitionOffsets(outcome.Partition).Contains(outcome.Offset))
                {
                    // Read at some other offset, never at the one acked: two stored copies.
                    _duplicateWrites++;
                    _fates.Add(outcome.Partition, outcome.TimestampMs, MessageFate.Duplicated);
                    Example("duplicate_writes", outcome.Producer, outcome.Sequence, outcome.Partition, outcome.Offset, outcome.TimestampMs);
                }
                else
                {
                    _fates.Add(Position(outcome).Partition, outcome.TimestampMs,
                        _duplicated.Count > 0 && _duplicated.Contains((outcome.Producer, outcome.Sequence)) ? MessageFate.Duplicated : MessageFate.Stored);
                }
            }
            else
            {
                SettleUnacknowledged(outcome.Status, outcome.Producer, outcome.Sequence, outcome.TimestampMs, stored);
            }
        }

        /// <summary>A send without an acknowledgement: stored anyway (with an example), or not stored, as expected.</summary>
        private void SettleUnacknowledged(ProduceStatus status, int producer, long sequence, long timestampMs, bool stored)
        {
            _fates.Add(null, timestampMs, stored ? MessageFate.UnackedStored : MessageFate.UnackedNotStored);
            if (!stored)
            {
                _lostUnacked++;
                return;
            }

            var count = status == ProduceStatus.Failed ? "failed_but_stored" : "unacked_but_delivered";
            if (status == ProduceStatus.Failed)
            {
                _failedButStored++;
            }
            else
            {
                _unackedButDelivered++;
            }

            if (_storedUnacked.Count(e => e.Count == count) < MaxExamples)
            {
                _storedUnacked.Add((count, producer, sequence, timestampMs));
            }
        }

        /// <summary>Pass 5, only when needed: where the first stored-but-unacknowledged examples are.</summary>
        public void FindStoredPositions()
        {
            if (_storedUnacked.Count == 0)
            {
                return;
            }

            var wanted = _storedUnacked.Select(e => (e.Producer, e.Sequence)).ToHashSet();
            var found = new Dictionary<(int, long), (int Partition, long Offset)>();
            foreach (var record in _final ? history.FinalRead : history.Consumed)
            {
                if (record.Kind is ConsumeKind.Processed or ConsumeKind.DuplicateSkipped or ConsumeKind.FinalRead
                    && wanted.Contains((record.Producer, record.Sequence)))
                {
                    found.TryAdd((record.Producer, record.Sequence), (record.Partition, record.Offset));
                    if (found.Count == wanted.Count)
                    {
                        break;
                    }
                }
            }

            foreach (var (count, producer, sequence, timestampMs) in _storedUnacked)
            {
                var position = found.GetValueOrDefault((producer, sequence), (-1, -1));
                Example(count, producer, sequence, position.Partition >= 0 ? position.Partition : null,
                    position.Offset >= 0 ? position.Offset : null, timestampMs);
            }
        }

        /// <summary>
        /// Counts what the final log holds that the group never processed; only when there is some does it
        /// read the final log again for the first examples.
        /// </summary>
        public void FindNeverProcessed()
        {
            if (!_final)
            {
                return;
            }

            _neverProcessed = _producers.Values.Sum(p => p.InFinalLog.Count) - _processedInFinalLog;
            if (_neverProcessed == 0)
            {
                return;
            }

            var named = new HashSet<(int, long)>();
            foreach (var record in history.FinalRead)
            {
                if (record.Kind == ConsumeKind.FinalRead && KnownProducer(record.Producer) is { } producer && producer.WasSent(record.Sequence)
                    && !producer.Processed.Contains(record.Sequence) && named.Add((record.Producer, record.Sequence)))
                {
                    Example("never_processed", record);
                    if (named.Count == MaxExamples)
                    {
                        break;
                    }
                }
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
                LostAfterRead = _final ? _lostAfterRead : null,
                NeverProcessed = _final ? _neverProcessed : null,
                LostUnacked = _lostUnacked,
                UnackedButDelivered = _unackedButDelivered,
                FailedButStored = _failedButStored,
                DuplicateWrites = _duplicateWrites,
                Redeliveries = _redeliveries,
                RedeliveriesAfterRebalance = _assignments ? _redeliveries - _redeliveriesWithin : null,
                RedeliveriesWithinAssignment = _assignments ? _redeliveriesWithin : null,
                DuplicatesProcessed = _duplicatesProcessed,
                InconsistentOffsets = _final ? _inconsistent.Count : null,
                PollSkip = _final && _assignments ? _pollSkips : null,
                NonmonotonicPoll = _assignments ? _nonmonotonicPolls : null,
                Phantoms = _phantoms,
                OutOfOrder = _outOfOrder,
                Abandoned = _abandoned,
                Resent = _resent,
            };
            var examples = _examples.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<AnomalyExample>)kv.Value, StringComparer.Ordinal);
            var notApplied = _faults.Where(f => f.Phase == FaultPhase.NotApplied).Select(f => $"{f.Fault} on {f.Target}: {f.Detail}").ToArray();
            var invalid = notApplied.Select(f => $"fault not applied: {f}").ToList();
            if (history.FinalReadEnd is { Complete: false } final)
            {
                invalid.Add($"the final read did not reach the end of the log: {final.Detail}"
                    + (_unreadAcked > 0 ? $"; {_unreadAcked} acknowledged messages lie where it did not read and are not counted as lost" : ""));
            }

            if (history.Drain is { CaughtUp: false } drain)
            {
                invalid.Add($"the consumer group went idle before the end offsets: {drain.Detail}");
            }

            return new LedgerVerdict(counts, examples, _timeline.Build(), history.Truncated, notApplied)
            {
                Fates = _fates.Build(),
                InvalidReasons = invalid,
                JudgedOnFinalLog = _final,
            };
        }

        private static (int? Partition, long? Offset) Position(in ProduceOutcome outcome) =>
            outcome.HasPosition ? (outcome.Partition, outcome.Offset) : (null, null);

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

        private List<(long Last, long Highest)> Positions(int consumer)
        {
            if (consumer == _lastConsumer)
            {
                return _lastPositions!;
            }

            if (!_positions.TryGetValue(consumer, out var positions))
            {
                _positions[consumer] = positions = [];
            }

            _lastConsumer = consumer;
            return _lastPositions = positions;
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

        private void Example(string anomaly, in ConsumedRecord record, string? detail = null)
        {
            if (_examples[anomaly].Count < MaxExamples)
            {
                var readable = record.Kind.CarriesMessage();
                _examples[anomaly].Add(new AnomalyExample(
                    readable ? history.ProducerName(record.Producer) : null,
                    readable ? record.Sequence : null,
                    record.Partition,
                    record.Offset,
                    Nearest(record.TimestampMs))
                {
                    Detail = detail,
                });
            }
        }

        private void Example(string anomaly, int? producer, long? sequence, int? partition, long? offset, long timestampMs, string? detail = null)
        {
            if (_examples[anomaly].Count < MaxExamples)
            {
                _examples[anomaly].Add(new AnomalyExample(producer is { } p ? history.ProducerName(p) : null, sequence, partition, offset, Nearest(timestampMs))
                {
                    Detail = detail,
                });
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
            return $"{best.Fault} {EnumNames<FaultPhase>.ToName(best.Phase)} on {best.Target}, {when}";
        }
    }

    /// <summary>What the checker knows of one producer's sequences.</summary>
    private sealed class ProducerLedger(int id)
    {
        private readonly List<long> _highestInPartition = [];

        public int Id { get; } = id;

        /// <summary>Sequences read at least once (at any offset, by any consumer of the group).</summary>
        public SequenceSet Delivered { get; } = new();

        /// <summary>Sequences the final read found in the log.</summary>
        public SequenceSet InFinalLog { get; } = new();

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
