namespace KafkaChaos.Workload;

/// <summary>Where in its poll–process–commit cycle a consumer instance is killed by restart-consumer.</summary>
public enum CrashPoint
{
    /// <summary>After processing a batch, before committing it.</summary>
    BetweenProcessAndCommit,

    /// <summary>
    /// Right after a commit covers records not yet processed: for commit-before-process, after its
    /// commit; for auto-commit, once a background commit has passed the record in hand; for
    /// process-then-commit, after its commit (where there is nothing left unprocessed).
    /// </summary>
    AfterCommit,

    /// <summary>
    /// Mid-batch, right after one record's processing and before its mark in the dedup store, when the
    /// store marks after processing. An atomic store has no such moment; the crash then falls right after
    /// a record that was processed and marked in one step. Without a store: right after a record.
    /// </summary>
    BetweenProcessAndMark,
}
