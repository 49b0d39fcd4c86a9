using KafkaChaos.Journal;

namespace KafkaChaos.Ledger.Checking;

/// <summary>
/// Duplicates and order, phantoms, and offsets holding two messages: what the log holds, judged on the final
/// read where there is one (else <see cref="GroupReadLog"/> feeds it the group's reads), and every later
/// observation of an offset compared with it.
/// </summary>
internal sealed class LogAnalysis(HistoryIndex index, ExampleBook examples)
{
    private readonly Dictionary<(int Partition, long Offset), ulong> _readBeyondFinalLog = [];
    private readonly HashSet<(int Partition, long Offset)> _inconsistent = [];

    /// <summary>Messages the log holds more than once: their fate is "duplicated".</summary>
    private readonly HashSet<(int Producer, long Sequence)> _duplicated = [];
    private long _duplicateWrites, _phantoms, _outOfOrder;

    /// <summary>Pass 2: one record of the final read.</summary>
    public void ReadFinalRecord(in ConsumedRecord record)
    {
        if (!index.FinalLogComplete)
        {
            while (index.FinalReached.Count <= record.Partition)
            {
                index.FinalReached.Add(0);
            }

            index.FinalReached[record.Partition] = Math.Max(index.FinalReached[record.Partition], record.Offset + 1);
        }

        var producer = record.Kind == ConsumeKind.Unreadable ? null : index.KnownProducer(record.Producer);
        if (producer is null || !producer.WasSent(record.Sequence))
        {
            if (index.FinalLog.Set(record.Partition, record.Offset, FinalLogIndex.Unreadable) == FinalLogIndex.Absent)
            {
                Phantom(in record);
            }

            return;
        }

        if (index.FinalLog.Set(record.Partition, record.Offset, FinalLogIndex.Message(record.Producer, record.Sequence)) != FinalLogIndex.Absent)
        {
            return; // The same offset read twice by the final reader: the first read counts.
        }

        Stored(producer.InFinalLog.Add(record.Sequence), producer, in record);
    }

    /// <summary>A stored copy of a message: a second one is a duplicate write, a first one out of sequence order is out of order.</summary>
    public void Stored(bool firstCopy, ProducerLedger producer, in ConsumedRecord record)
    {
        if (!firstCopy)
        {
            _duplicateWrites++;
            _duplicated.Add((record.Producer, record.Sequence));
            examples.Add(LedgerCountCatalog.DuplicateWrites, record);
        }
        else if (!producer.CheckOrder(record.Partition, record.Sequence))
        {
            _outOfOrder++;
            examples.Add(LedgerCountCatalog.OutOfOrder, record);
        }
    }

    /// <summary>A stored record this run never sent, or not an intact envelope; counted once per offset.</summary>
    public void Phantom(in ConsumedRecord record)
    {
        _phantoms++;
        examples.Add(LedgerCountCatalog.Phantoms, record);
    }

    /// <summary>An acknowledged message the group read at other offsets, never at the one acked (no final read): two stored copies.</summary>
    public void CopyAtAnotherOffset(in ProduceOutcome outcome)
    {
        _duplicateWrites++;
        examples.Add(LedgerCountCatalog.DuplicateWrites, outcome.Producer, outcome.Sequence, outcome.Partition, outcome.Offset, outcome.TimestampMs);
    }

    public bool IsDuplicated(int producer, long sequence) => _duplicated.Count > 0 && _duplicated.Contains((producer, sequence));

    /// <summary>
    /// Records an inconsistency when the final log (<paramref name="held"/>, what it holds at that
    /// offset) or, past its end, an earlier observation holds a different message there.
    /// </summary>
    public void CompareWithFinalLog(int partition, long offset, ulong held, ulong message, long timestampMs)
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
        if (index.FinalLogComplete && message != FinalLogIndex.Absent)
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

    public LedgerCounts Contribute(LedgerCounts counts) => counts with
    {
        DuplicateWrites = _duplicateWrites,
        Phantoms = _phantoms,
        OutOfOrder = _outOfOrder,
        InconsistentOffsets = index.HasFinalLog ? _inconsistent.Count : null,
    };

    private void Inconsistent(int partition, long offset, ulong held, long timestampMs)
    {
        if (_inconsistent.Add((partition, offset)))
        {
            var detail = held == FinalLogIndex.Unreadable ? "the other copy is not a message of this run" : null;
            examples.Add(LedgerCountCatalog.InconsistentOffsets, null, null, partition, offset, timestampMs, detail);
        }
    }
}
