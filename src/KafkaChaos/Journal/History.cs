namespace KafkaChaos.Journal;

/// <summary>
/// Everything a run recorded: the only input the ledger needs.
/// </summary>
/// <remarks>
/// <see cref="Produced"/> and <see cref="Consumed"/> may be enumerated more than once; for a run
/// directory each enumeration streams the journal from disk again, so a history of 10^8 messages is
/// never held in memory. <see cref="Truncated"/> says the journal ended in a torn write (the tool died
/// mid-write), so the history covers only what was flushed before that. <see cref="ProducerNames"/>
/// maps producer ids to the names of an external history; without it, producer id N is named pN.
/// </remarks>
public sealed record History(
    IEnumerable<ProduceOutcome> Produced,
    IEnumerable<ConsumedRecord> Consumed,
    IReadOnlyList<FaultEvent> Faults,
    bool Truncated = false,
    IReadOnlyList<string>? ProducerNames = null)
{
    public static History Empty { get; } = new([], [], []);

    public string ProducerName(int producer) =>
        ProducerNames is { } names && producer >= 0 && producer < names.Count ? names[producer] : ClientNames.Producer(producer);
}
