namespace KafkaChaos.Workload;

/// <summary>How the verifying consumers of a run read, process and commit.</summary>
public sealed record ConsumerSpec
{
    public int Consumers { get; init; } = 1;
    public CommitStrategy Commit { get; init; } = CommitStrategy.AutoCommit;

    /// <summary>For process-then-commit: a synchronous Commit, or StoreOffset with background commits.</summary>
    public bool CommitAsync { get; init; }

    /// <summary>Records per poll batch, committed together; 1 commits per message.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>enable.auto.commit's interval (auto-commit, and process-then-commit async).</summary>
    public int AutoCommitIntervalMs { get; init; } = 1000;

    /// <summary>How long processing one record takes, so that a crash can fall inside it.</summary>
    public TimeSpan ProcessingTime { get; init; } = TimeSpan.Zero;

    /// <summary>Skip records whose producer+sequence a file-backed store says were already processed.</summary>
    public bool DedupStore { get; init; }

    /// <summary>
    /// Whether the store marks a record in the same step as its processing (a table written in the
    /// processing's own transaction) or after it (a separate write): only the second leaves a moment
    /// in which a crash processes a record twice.
    /// </summary>
    public bool DedupMarkAfterProcessing { get; init; }

    /// <summary>
    /// Where an instance starts a partition the group has no committed offset for: earliest, or latest,
    /// which skips whatever was written to it before the group was assigned it (new partitions).
    /// </summary>
    public string AutoOffsetReset { get; init; } = "earliest";

    /// <summary>
    /// The poll loop hands each record to a worker thread through a local queue and counts it done at
    /// hand-over, committing by its strategy as if it were processed (article 000's thread pool): what is
    /// queued when the process dies was committed and never processed.
    /// </summary>
    public bool WorkerQueue { get; init; }

    /// <summary>The name used in configs and reports.</summary>
    public string StrategyName => CommitStrategyNames.ToName(Commit, CommitAsync);
}
