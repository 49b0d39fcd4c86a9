namespace KafkaChaos.Ledger.Checking;

/// <summary>What the checker knows of one producer's sequences.</summary>
internal sealed class ProducerLedger(int id)
{
    private readonly List<long> _highestInPartition = [];

    public int Id { get; } = id;

    /// <summary>Sequences read at least once (at any offset, by any consumer of the group).</summary>
    public SequenceSet Delivered { get; } = new();

    /// <summary>Sequences the final read found in the log.</summary>
    public SequenceSet InFinalLog { get; } = new();

    /// <summary>Sequences whose processing ran at least once.</summary>
    public SequenceSet Processed { get; } = new();

    /// <summary>Sequences already settled (first outcome only).</summary>
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
