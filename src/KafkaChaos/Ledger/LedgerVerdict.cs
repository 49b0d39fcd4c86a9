namespace KafkaChaos.Ledger;

/// <summary>
/// The checker's output: counts, up to <see cref="LedgerChecker.MaxExamples"/> examples per anomaly
/// (keyed by the count's results.json name), the per-second throughput timeline, and whether the
/// history was cut short. A run with a fault that was not applied is not valid: its counts do not
/// show what that fault does, however clean they look.
/// </summary>
public sealed record LedgerVerdict(
    LedgerCounts Counts,
    IReadOnlyDictionary<string, IReadOnlyList<AnomalyExample>> Examples,
    IReadOnlyList<ThroughputSecond> Timeline,
    bool HistoryTruncated,
    IReadOnlyList<string> FaultsNotApplied)
{
    public bool Valid => FaultsNotApplied.Count == 0;
}
