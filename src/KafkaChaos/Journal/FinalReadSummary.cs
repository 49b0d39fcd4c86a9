namespace KafkaChaos.Journal;

/// <summary>
/// How the final read ended: whether it reached <see cref="EndOffsets"/> on every partition, and if not,
/// why. An incomplete final read makes the cell invalid, because what it did not read cannot be told
/// lost from unread.
/// </summary>
/// <param name="Complete">Every partition was read from its start to its end offset.</param>
/// <param name="EndOffsets">The end offsets it read to, fetched after the heal; empty for a client's JSON-lines history.</param>
/// <param name="Records">How many records it read.</param>
/// <param name="Detail">Why it is incomplete, or how long it took.</param>
public sealed record FinalReadSummary(bool Complete, IReadOnlyDictionary<int, long> EndOffsets, long Records, string Detail);
