using KafkaChaos.Journal;

namespace KafkaChaos.Ledger.Checking;

/// <summary>
/// Offsets and polls: each instance's position in each partition, followed through its assignments (journal
/// format 2). A read at or below the last one of the same assignment is a nonmonotonic poll, a read at or
/// below the highest one a redelivery within the assignment, a read past the next offset a candidate skip,
/// judged against the final log once it is known.
/// </summary>
internal sealed class PollAnalysis(HistoryIndex index, ExampleBook examples)
{
    /// <summary>Nothing read in the current assignment (or none at all) of an instance's partition.</summary>
    private static readonly (long Last, long Highest) NothingRead = (-1, -1);

    private readonly Dictionary<int, List<(long Last, long Highest)>> _positions = [];
    private readonly List<(int Consumer, int Partition, long From, long To, long TimestampMs)> _gaps = [];
    private int _lastConsumer = int.MinValue;
    private List<(long Last, long Highest)>? _lastPositions;
    private long _nonmonotonicPolls, _redeliveriesWithin, _pollSkips;

    /// <returns>False for an assignment change, which is not a record.</returns>
    public bool Track(in ConsumedRecord record)
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
                examples.Add(LedgerCountCatalog.NonmonotonicPoll, record, $"{ClientNames.Consumer(record.Consumer)} read offset {record.Offset} after {last}");
            }
            else if (record.Offset > last + 1 && index.HasFinalLog)
            {
                // A gap is a skip only where the final log holds the skipped offsets; without one it is never judged.
                _gaps.Add((record.Consumer, record.Partition, last + 1, record.Offset - 1, record.TimestampMs));
            }
        }

        if (record.Offset <= highest && record.Kind != ConsumeKind.Abandoned && index.PartitionOffsets(record.Partition).Contains(record.Offset))
        {
            _redeliveriesWithin++;
        }

        positions[record.Partition] = (record.Offset, Math.Max(highest, record.Offset));
        return true;
    }

    /// <summary>After the group's reads: each gap over offsets the final log holds is a skip.</summary>
    public void JudgeGaps()
    {
        foreach (var (consumer, partition, from, to, timestampMs) in _gaps)
        {
            if (index.FinalLog.AnyIn(partition, from, to))
            {
                _pollSkips++;
                examples.Add(LedgerCountCatalog.PollSkip, null, null, partition, from, timestampMs,
                    $"{ClientNames.Consumer(consumer)} read offset {to + 1} after {from - 1}, over offsets the log holds");
            }
        }
    }

    /// <summary>The redeliveries within one assignment, for the consumer analysis to split its redeliveries by.</summary>
    public long RedeliveriesWithinAssignment => _redeliveriesWithin;

    public LedgerCounts Contribute(LedgerCounts counts) => counts with
    {
        RedeliveriesWithinAssignment = index.HasAssignments ? _redeliveriesWithin : null,
        PollSkip = index.HasFinalLog && index.HasAssignments ? _pollSkips : null,
        NonmonotonicPoll = index.HasAssignments ? _nonmonotonicPolls : null,
    };

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
}
