using KafkaChaos.Journal;

namespace KafkaChaos.Ledger.Checking;

/// <summary>
/// What every analysis looks messages and offsets up in: each producer's sequences (sent, in the final log,
/// delivered, processed), the final log's offset-to-message index, the offsets the group was given, and
/// what the history holds at all (a final read, complete or not; assignment changes). The analyses fill it
/// in pass order and read it; none keeps a second copy.
/// </summary>
internal sealed class HistoryIndex(History history)
{
    private readonly Dictionary<int, ProducerLedger> _producers = [];
    private readonly List<SequenceSet?> _partitionOffsets = [];
    private ProducerLedger? _last;

    public History History { get; } = history;

    public FaultEvent[] Faults { get; } = history.Faults.OrderBy(f => f.TimestampMs).ToArray();

    /// <summary>Whether durability is judged on a final read (journal format 2 and later) or, without one, on the group's reads.</summary>
    public bool HasFinalLog { get; } = history.HasFinalRead;

    public bool FinalLogComplete { get; } = history.FinalReadEnd is { Complete: true };

    public bool HasAssignments { get; } = history.HasAssignments;

    public FinalLogIndex FinalLog { get; } = new();

    /// <summary>Per partition, one past the highest offset the final read reached: an incomplete read judges nothing above it.</summary>
    public List<long> FinalReached { get; } = [];

    public TimelineBuilder Timeline { get; } = new();

    public IEnumerable<ProducerLedger> Producers => _producers.Values;

    public ProducerLedger Producer(int id)
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

    /// <summary>The producer, if this run has one of that id.</summary>
    public ProducerLedger? KnownProducer(int id) =>
        _last is { } last && last.Id == id ? last : _producers.TryGetValue(id, out var producer) ? _last = producer : null;

    /// <summary>The offsets of <paramref name="partition"/> the group was given at least once.</summary>
    public SequenceSet PartitionOffsets(int partition)
    {
        while (_partitionOffsets.Count <= partition)
        {
            _partitionOffsets.Add(null);
        }

        return _partitionOffsets[partition] ??= new SequenceSet();
    }
}
