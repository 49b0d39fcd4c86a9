namespace KafkaChaos.Ledger;

/// <summary>
/// The checker's output: counts, up to <see cref="LedgerChecker.MaxExamples"/> examples per anomaly
/// (keyed by the count's results.json name), the per-second throughput timeline, and whether the
/// history was cut short.
/// </summary>
/// <remarks>
/// A cell is not valid when its counts cannot be a verdict: a fault was not applied (the counts do not
/// show what it does, however clean they look), the final read did not reach the end of the log (what it
/// did not read is not known lost), or the group went idle before the end (what it did not read is not
/// known unprocessed). <see cref="InvalidReasons"/> says which.
/// </remarks>
public sealed record LedgerVerdict(
    LedgerCounts Counts,
    IReadOnlyDictionary<string, IReadOnlyList<AnomalyExample>> Examples,
    IReadOnlyList<ThroughputSecond> Timeline,
    bool HistoryTruncated,
    IReadOnlyList<string> FaultsNotApplied)
{
    public IReadOnlyList<string> InvalidReasons { get; init; } = [];

    /// <summary>Every message's fate by partition and time, for the chart that explains a loss.</summary>
    public FateTimeline? Fates { get; init; }

    /// <summary>Durability was judged on a final read of the whole log, not on the group's reads.</summary>
    public bool JudgedOnFinalLog { get; init; }

    public bool Valid => InvalidReasons.Count == 0 && FaultsNotApplied.Count == 0;
}
