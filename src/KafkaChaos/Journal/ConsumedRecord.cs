namespace KafkaChaos.Journal;

/// <summary>
/// One record a consumer processed. Producer and sequence are null when the value was not an intact
/// envelope of this run, which the ledger counts as a phantom.
/// </summary>
public sealed record ConsumedRecord(
    string Consumer,
    string? Producer,
    long? Sequence,
    int Partition,
    long Offset,
    long TimestampMs,
    string? Error = null);
