using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Workload;

namespace KafkaChaos.Reporting;

/// <summary>
/// One matrix cell in results.json: its settings, the checker's verdict, the fault timeline, latencies
/// and throughput per second. <see cref="Valid"/> is false when the counts cannot be a verdict, and
/// <see cref="InvalidReasons"/> says why. <see cref="Status"/>
/// says whether it ran to its end (with <see cref="Reason"/> when not); <see cref="Directory"/>
/// is where its journal is, relative to the run directory.
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
    IReadOnlyList<string> FaultsNotApplied,
    RunStatus Status = RunStatus.Completed,
    string? Reason = null,
    string? Directory = null,
    IReadOnlyList<ExpectationResult>? Expectations = null)
{
    /// <summary>Why the cell is not valid: a fault not applied, a final read or group drain that fell short.</summary>
    public IReadOnlyList<string>? InvalidReasons { get; init; }

    /// <summary>Durability was judged on a final read of the whole log; false for histories without one, judged on the group's reads.</summary>
    public bool JudgedOnFinalLog { get; init; }

    /// <summary>Every message's fate by partition and time (results.json <c>fates</c>); null in results written before it existed.</summary>
    public FateTimeline? Fates { get; init; }

    /// <summary>Each fault application's real phases (results.json <c>fault_windows</c>), derived from <see cref="Faults"/>.</summary>
    public IReadOnlyList<FaultWindow> FaultWindows => FaultWindow.From(Faults);

    /// <summary>A cell the broker version cannot run (idempotence on 0.9): not run, and not a failure.</summary>
    public static CellResult Unsupported(string name, IReadOnlyDictionary<string, string> config, string reason) =>
        new(name, config, new LedgerCounts(), new Dictionary<string, IReadOnlyList<AnomalyExample>>(), false, [], null, [], true, [], RunStatus.Unsupported, reason);

    /// <summary>Completed, valid, and every expectation met; rate expectations are judged over the repetitions instead.</summary>
    public bool Passed => Status == RunStatus.Completed && Valid && (Expectations ?? []).All(e => e.Met || e.AtLeast is not null);
}
