namespace KafkaChaos.Journal;

/// <summary>
/// One record a consumer was given, and what became of it (<see cref="Kind"/>). A value type with
/// integer ids because a run journals up to 10^8 of them.
/// </summary>
/// <param name="Consumer">The consumer instance (name <c>c{id}</c>); a restarted consumer has a new id.</param>
/// <param name="Producer">The envelope's producer id, or -1 when <see cref="Kind"/> is <see cref="ConsumeKind.Unreadable"/>.</param>
/// <param name="Sequence">The envelope's sequence, or -1 as for <paramref name="Producer"/>.</param>
/// <param name="Partition">Where the record was read.</param>
/// <param name="Offset">Where the record was read.</param>
/// <param name="TimestampMs">When processing finished (or was cut short).</param>
/// <param name="Kind">What the consumer did with it.</param>
public readonly record struct ConsumedRecord(
    int Consumer,
    int Producer,
    long Sequence,
    int Partition,
    long Offset,
    long TimestampMs,
    ConsumeKind Kind = ConsumeKind.Processed);
