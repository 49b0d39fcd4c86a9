using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Workload;

namespace KafkaChaos.Reporting;

/// <summary>
/// One matrix cell in results.json: its settings, the checker's verdict, the fault timeline, latencies
/// and throughput per second. <see cref="Valid"/> is false when a fault was not applied.
/// </summary>
public sealed record CellResult(
    string Name,
    IReadOnlyDictionary<string, string> Config,
    LedgerCounts Counts,
    IReadOnlyDictionary<string, IReadOnlyList<AnomalyExample>> Examples,
    bool HistoryTruncated,
    IReadOnlyList<FaultEvent> Faults,
    IReadOnlyDictionary<string, LatencySummary>? LatencyMicros,
    IReadOnlyList<ThroughputSecond> Timeline,
    bool Valid,
    IReadOnlyList<string> FaultsNotApplied);
