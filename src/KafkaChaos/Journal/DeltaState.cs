namespace KafkaChaos.Journal;

/// <summary>
/// The previous record's numbers within one block. Records store differences from it, which are a
/// byte or two for in-order sequences, offsets and timestamps. Reset at every block, so each block
/// decodes on its own.
/// </summary>
internal struct DeltaState
{
    public long Sequence;
    public long Offset;
    public long TimestampMs;
}
