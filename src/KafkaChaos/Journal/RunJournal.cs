namespace KafkaChaos.Journal;

/// <summary>
/// A journal as read back: the run's identity and configuration, its history, and how it ended
/// (<see cref="EndStatus"/> is null when the run never wrote its last line: killed or still running).
/// </summary>
public sealed record RunJournal(
    string RunId,
    long StartedMs,
    IReadOnlyDictionary<string, string> Config,
    History History,
    RunStatus? EndStatus);
