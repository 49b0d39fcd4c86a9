namespace KafkaChaos.Journal;

/// <summary>
/// Everything a run recorded: the only input the ledger needs.
/// </summary>
/// <remarks>
/// <see cref="Produced"/>, <see cref="Consumed"/> and <see cref="FinalRead"/> may be enumerated more
/// than once; for a run directory each enumeration streams the journal from disk again, so a history of
/// 10^8 messages is never held in memory. <see cref="Truncated"/> says the journal ended in a torn write
/// (the tool died mid-write), so the history covers only what was flushed before that.
/// <see cref="ProducerNames"/> maps producer ids to the names of an external history; without it,
/// producer id N is named pN.
/// </remarks>
public sealed record History(
    IEnumerable<ProduceOutcome> Produced,
    IEnumerable<ConsumedRecord> Consumed,
    IReadOnlyList<FaultEvent> Faults,
    bool Truncated = false,
    IReadOnlyList<string>? ProducerNames = null)
{
    public static History Empty { get; } = new([], [], []);

    /// <summary>Records of the final read, in the order read: kind <see cref="ConsumeKind.FinalRead"/> or <see cref="ConsumeKind.Unreadable"/>.</summary>
    public IEnumerable<ConsumedRecord> FinalRead { get; init; } = [];

    /// <summary>How the final read ended; null when the history has none (journal format 1, an interrupted run), and durability is then judged on the group's reads.</summary>
    public FinalReadSummary? FinalReadEnd { get; init; }

    /// <summary>How the group's drain ended; null when the history does not say.</summary>
    public GroupDrainSummary? Drain { get; init; }

    /// <summary>
    /// The consumed stream carries each instance's assignment changes (journal format 2), so skips and
    /// rewinds within one assignment can be judged.
    /// </summary>
    public bool HasAssignments { get; init; }

    public bool HasFinalRead => FinalReadEnd is not null;

    /// <summary>
    /// How many sends each producer started (journal format 3): sequences 0..count-1. A started send
    /// without an outcome was in flight when the tool died, and is judged unknown.
    /// </summary>
    public IReadOnlyDictionary<int, long> StartedSends { get; init; } = new Dictionary<int, long>();

    public string ProducerName(int producer) =>
        ProducerNames is { } names && producer >= 0 && producer < names.Count ? names[producer] : ClientNames.Producer(producer);
}
