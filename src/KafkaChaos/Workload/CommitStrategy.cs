namespace KafkaChaos.Workload;

/// <summary>When a consumer commits its position relative to processing a record.</summary>
public enum CommitStrategy
{
    /// <summary>
    /// enable.auto.commit: the client stores each offset as it hands the record over and commits in the
    /// background every interval, whether or not processing has finished. Folklore: loses on a crash.
    /// </summary>
    AutoCommit,

    /// <summary>Commit synchronously, then process. At-most-once: a crash in between loses the records.</summary>
    CommitBeforeProcess,

    /// <summary>Process, then commit (sync or async). At-least-once: a crash in between redelivers.</summary>
    ProcessThenCommit,
}
