namespace KafkaChaos.Journal;

/// <summary>How one send attempt ended. Partition and offset are known only for acked sends (and not for acks=0).</summary>
public sealed record ProduceOutcome(
    string Producer,
    long Sequence,
    ProduceStatus Status,
    int? Partition,
    long? Offset,
    long TimestampMs,
    string? Error = null);
