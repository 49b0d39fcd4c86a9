namespace KafkaChaos.Journal;

/// <summary>
/// Everything a run recorded, as read back from its journal: the only input the ledger needs.
/// <see cref="Truncated"/> says the journal ended in a torn record (the tool died mid-write), so the
/// history covers only what was flushed before that.
/// </summary>
public sealed record History(
    IReadOnlyList<ProduceOutcome> Produced,
    IReadOnlyList<ConsumedRecord> Consumed,
    IReadOnlyList<FaultEvent> Faults,
    bool Truncated = false)
{
    public static History Empty { get; } = new([], [], []);
}
