using KafkaChaos.Journal;

namespace KafkaChaos.Ledger.Checking;

/// <summary>
/// The consumer-side counts: what the group was given, processed, processed twice, was given again, and never
/// processed of what the log holds. Each record of the group is compared with what the final log holds at
/// its offset, or, without a final read, read as the log itself (<see cref="GroupReadLog"/>).
/// </summary>
internal sealed class ConsumerAnalysis(HistoryIndex index, ExampleBook examples, LogAnalysis log, PollAnalysis polls)
{
    private readonly GroupReadLog _groupLog = new(index, log);
    private long _consumed, _abandoned, _redeliveries, _duplicatesProcessed, _processedInFinalLog, _neverProcessed;

    /// <summary>Pass 3: one record the group was given, or one assignment change, in the order consumers journalled them.</summary>
    public void ReadRecord(in ConsumedRecord record)
    {
        if (index.HasAssignments && !polls.Track(in record))
        {
            return; // an assignment change
        }

        if (record.Kind == ConsumeKind.Abandoned)
        {
            _abandoned++;
            return;
        }

        _consumed++;
        index.Timeline.Consumption(record.TimestampMs);
        var firstDelivery = index.PartitionOffsets(record.Partition).Add(record.Offset);
        if (!firstDelivery)
        {
            _redeliveries++;
            examples.Add(LedgerCountCatalog.Redeliveries, record);
        }

        if (index.HasFinalLog)
        {
            ReadAgainstFinalLog(in record, firstDelivery);
        }
        else if (_groupLog.Read(in record, firstDelivery) is { } producer && record.Kind == ConsumeKind.Processed && !producer.Processed.Add(record.Sequence))
        {
            _duplicatesProcessed++;
            examples.Add(LedgerCountCatalog.DuplicatesProcessed, record);
        }
    }

    /// <summary>
    /// Counts what the final log holds that the group never processed; only when there is some does it
    /// read the final log again for the first examples.
    /// </summary>
    public void FindNeverProcessed()
    {
        if (!index.HasFinalLog)
        {
            return;
        }

        _neverProcessed = index.Producers.Sum(p => p.InFinalLog.Count) - _processedInFinalLog;
        if (_neverProcessed == 0)
        {
            return;
        }

        var named = new HashSet<(int, long)>();
        foreach (var record in index.History.FinalRead)
        {
            if (record.Kind == ConsumeKind.FinalRead && index.KnownProducer(record.Producer) is { } producer && producer.WasSent(record.Sequence)
                && !producer.Processed.Contains(record.Sequence) && named.Add((record.Producer, record.Sequence)))
            {
                examples.Add(LedgerCountCatalog.NeverProcessed, record);
                if (named.Count == LedgerChecker.MaxExamples)
                {
                    break;
                }
            }
        }
    }

    public LedgerCounts Contribute(LedgerCounts counts) => counts with
    {
        Consumed = _consumed,
        Abandoned = _abandoned,
        Redeliveries = _redeliveries,
        RedeliveriesAfterRebalance = index.HasAssignments ? _redeliveries - polls.RedeliveriesWithinAssignment : null,
        DuplicatesProcessed = _duplicatesProcessed,
        NeverProcessed = index.HasFinalLog ? _neverProcessed : null,
    };

    /// <summary>With a final read the log decided copies and order; a group read adds what was delivered and processed, and is compared with what the log holds at its offset.</summary>
    private void ReadAgainstFinalLog(in ConsumedRecord record, bool firstDelivery)
    {
        var producer = record.Kind == ConsumeKind.Unreadable ? null : index.KnownProducer(record.Producer);
        var message = producer is null ? FinalLogIndex.Unreadable : FinalLogIndex.Message(record.Producer, record.Sequence);
        var held = index.FinalLog.Get(record.Partition, record.Offset);
        // The final read indexed only messages this run sent, so a match needs no further look-up.
        var matches = held == message && message is not (FinalLogIndex.Absent or FinalLogIndex.Unreadable);
        var known = producer is not null && (matches || producer.WasSent(record.Sequence));
        if (held != message)
        {
            log.CompareWithFinalLog(record.Partition, record.Offset, held, known ? message : FinalLogIndex.Unreadable, record.TimestampMs);
        }

        if (!known)
        {
            // A record the log still holds was judged there, once per offset.
            if (firstDelivery && held == FinalLogIndex.Absent)
            {
                log.Phantom(in record);
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
                examples.Add(LedgerCountCatalog.DuplicatesProcessed, record);
            }
            else if (matches || producer.InFinalLog.Contains(record.Sequence))
            {
                _processedInFinalLog++;
            }
        }
    }
}
