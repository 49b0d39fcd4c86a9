namespace KafkaChaos.Journal;

/// <summary>
/// A journal as read back: the run's identity and configuration, its history, and how it ended
/// (<see cref="EndStatus"/> is null when the run never wrote its last line: killed or still running),
/// with the cause of a failure or interruption.
/// </summary>
public sealed record RunJournal(
    string RunId,
    long StartedMs,
    IReadOnlyDictionary<string, string> Config,
    History History,
    RunStatus? EndStatus)
{
    /// <summary>Why a run that did not complete stopped, as its <c>end</c> line says; null when it completed or never ended.</summary>
    public string? EndCause { get; init; }
}
