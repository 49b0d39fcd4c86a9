namespace KafkaChaos.Journal;

/// <summary>
/// How one send attempt ended. A value type with integer ids because a run journals up to 10^8 of them.
/// </summary>
/// <param name="Producer">The producer identity (envelope producer id; its name is <c>p{id}</c>).</param>
/// <param name="Sequence">The producer-local sequence number, from 0.</param>
/// <param name="Status">The one outcome of the attempt.</param>
/// <param name="Partition">Where an acked send was stored, or <see cref="NoPosition"/> (failed, unknown, or acks=0).</param>
/// <param name="Offset">As <paramref name="Partition"/>.</param>
/// <param name="TimestampMs">When the client reported the outcome (or gave up on it).</param>
/// <param name="ErrorCode">The client's error code for failed and unknown outcomes (Confluent.Kafka <c>ErrorCode</c>), else 0.</param>
public readonly record struct ProduceOutcome(
    int Producer,
    long Sequence,
    ProduceStatus Status,
    int Partition,
    long Offset,
    long TimestampMs,
    int ErrorCode = 0)
{
    public const int NoPosition = -1;

    public bool HasPosition => Partition >= 0 && Offset >= 0;
}
