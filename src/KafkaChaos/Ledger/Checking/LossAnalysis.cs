using KafkaChaos.Journal;

namespace KafkaChaos.Ledger.Checking;

/// <summary>
/// Loss: every send's outcome (the best of its attempts), then, once the log and the group's reads are
/// known, its fate: an acknowledged message the log does not hold is lost (after a consumer had read it,
/// or not), an unacknowledged one stored anyway is counted apart, and each fate lands on the timeline.
/// </summary>
internal sealed class LossAnalysis(HistoryIndex index, ExampleBook examples, LogAnalysis log)
{
    private readonly List<(LedgerCount Count, int Producer, long Sequence, long TimestampMs)> _storedUnacked = [];

    /// <summary>Per message sent more than once, the best of its outcomes after the first.</summary>
    private readonly Dictionary<(int Producer, long Sequence), ProduceOutcome> _repeats = [];
    private bool _repeatedOutcomes;
    private List<(int Producer, long Sequence)>? _startedWithoutOutcome;
    private FateTimelineBuilder _fates = new(0, 0);
    private long _sent, _acked, _failed, _unknown, _resent, _lost, _lostAfterRead, _lostUnacked, _unackedButDelivered, _failedButStored;

    /// <summary>Acknowledged messages where an incomplete final read did not reach: unread, never counted lost.</summary>
    public long UnreadAcked { get; private set; }

    public FateTimeline Fates => _fates.Build();

    /// <summary>Pass 1: a send's outcome; a message's first one counts now, a resend's is kept for pass 4.</summary>
    public void ReadOutcome(in ProduceOutcome outcome)
    {
        var producer = index.Producer(outcome.Producer);
        index.Timeline.Outcome(outcome.TimestampMs, outcome.Status); // every attempt, resends too
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

    /// <summary>
    /// Pass 1b: sends a producer started (journal format 3) that have no outcome, because the tool died
    /// before its journal flushed them: unknown, in flight at the crash. A completed run has none.
    /// </summary>
    public void AddStartedWithoutOutcome()
    {
        foreach (var (id, count) in index.History.StartedSends)
        {
            var producer = index.Producer(id);
            if (producer.Sent.Count >= count)
            {
                continue; // every started send has its outcome
            }

            if (count - producer.Sent.Count > LedgerChecker.MaxStartedWithoutOutcome)
            {
                throw new JournalFormatException($"{StartedSends.FileName}: {index.History.ProducerName(id)} started {count} sends, {count - producer.Sent.Count} more than "
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

    /// <summary>Before pass 4: the fate timeline spans what the history spans.</summary>
    public void StartSettling() => _fates = new FateTimelineBuilder(index.Timeline.Span.StartMs, index.Timeline.Span.EndMs);

    /// <summary>After pass 4: the sends started without an outcome, unknown, settled against what was stored.</summary>
    public void SettleStartedWithoutOutcome()
    {
        foreach (var (id, sequence) in _startedWithoutOutcome ?? [])
        {
            var producer = index.Producer(id);
            SettleUnacknowledged(ProduceStatus.Unknown, id, sequence, 0,
                index.HasFinalLog ? producer.InFinalLog.Contains(sequence) : producer.Delivered.Contains(sequence));
        }
    }

    /// <summary>Pass 4: one send's fate, now that the final log and every delivery are known.</summary>
    public void SettleOutcome(in ProduceOutcome first)
    {
        var producer = index.Producer(first.Producer);
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

        var stored = Stored(producer, in outcome);
        if (outcome.Status == ProduceStatus.Acked)
        {
            SettleAcknowledged(producer, in outcome, stored);
        }
        else
        {
            SettleUnacknowledged(outcome.Status, outcome.Producer, outcome.Sequence, outcome.TimestampMs, stored);
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
        foreach (var record in index.HasFinalLog ? index.History.FinalRead : index.History.Consumed)
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
            examples.Add(count, producer, sequence, position.Partition >= 0 ? position.Partition : null,
                position.Offset >= 0 ? position.Offset : null, timestampMs);
        }
    }

    public LedgerCounts Contribute(LedgerCounts counts) => counts with
    {
        Sent = _sent,
        Acked = _acked,
        Failed = _failed,
        Unknown = _unknown,
        Lost = _lost,
        LostAfterRead = index.HasFinalLog ? _lostAfterRead : null,
        LostUnacked = _lostUnacked,
        UnackedButDelivered = _unackedButDelivered,
        FailedButStored = _failedButStored,
        Resent = _resent,
    };

    /// <summary>Whether the log holds the message: the final log where there is one, else the group's reads.</summary>
    private bool Stored(ProducerLedger producer, in ProduceOutcome outcome)
    {
        if (!index.HasFinalLog || outcome.Status != ProduceStatus.Acked || !outcome.HasPosition)
        {
            return index.HasFinalLog ? producer.InFinalLog.Contains(outcome.Sequence) : producer.Delivered.Contains(outcome.Sequence);
        }

        // Where the log holds this very message at its acknowledged offset, that answers both questions.
        var message = FinalLogIndex.Message(outcome.Producer, outcome.Sequence);
        var held = index.FinalLog.Get(outcome.Partition, outcome.Offset);
        if (held != message)
        {
            log.CompareWithFinalLog(outcome.Partition, outcome.Offset, held, message, outcome.TimestampMs);
        }

        return (held == message && message != FinalLogIndex.Absent) || producer.InFinalLog.Contains(outcome.Sequence);
    }

    private void SettleAcknowledged(ProducerLedger producer, in ProduceOutcome outcome, bool stored)
    {
        if (!stored && index.HasFinalLog && !index.FinalLogComplete
            && !(outcome.HasPosition && outcome.Partition < index.FinalReached.Count && outcome.Offset < index.FinalReached[outcome.Partition]))
        {
            // The final read stopped short of where this message was acknowledged: unread, never counted lost.
            UnreadAcked++;
        }
        else if (!stored)
        {
            _lost++;
            var read = index.HasFinalLog && producer.Delivered.Contains(outcome.Sequence);
            _fates.Add(Position(outcome).Partition, outcome.TimestampMs, read ? MessageFate.LostAfterRead : MessageFate.Lost);
            if (read)
            {
                _lostAfterRead++;
                examples.Add(LedgerCountCatalog.LostAfterRead, outcome.Producer, outcome.Sequence, Position(outcome).Partition, Position(outcome).Offset, outcome.TimestampMs);
            }

            examples.Add(LedgerCountCatalog.Lost, outcome.Producer, outcome.Sequence, Position(outcome).Partition, Position(outcome).Offset, outcome.TimestampMs);
        }
        else if (!index.HasFinalLog && outcome.HasPosition && !index.PartitionOffsets(outcome.Partition).Contains(outcome.Offset))
        {
            // Read at some other offset, never at the one acked: two stored copies.
            log.CopyAtAnotherOffset(in outcome);
            _fates.Add(outcome.Partition, outcome.TimestampMs, MessageFate.Duplicated);
        }
        else
        {
            _fates.Add(Position(outcome).Partition, outcome.TimestampMs,
                log.IsDuplicated(outcome.Producer, outcome.Sequence) ? MessageFate.Duplicated : MessageFate.Stored);
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

        var count = status == ProduceStatus.Failed ? LedgerCountCatalog.FailedButStored : LedgerCountCatalog.UnackedButDelivered;
        if (status == ProduceStatus.Failed)
        {
            _failedButStored++;
        }
        else
        {
            _unackedButDelivered++;
        }

        if (_storedUnacked.Count(e => e.Count == count) < LedgerChecker.MaxExamples)
        {
            _storedUnacked.Add((count, producer, sequence, timestampMs));
        }
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

    private static (int? Partition, long? Offset) Position(in ProduceOutcome outcome) =>
        outcome.HasPosition ? (outcome.Partition, outcome.Offset) : (null, null);
}
