namespace KafkaChaos.Workload;

/// <summary>
/// The one spelling of a consumer's commit strategy, used by experiment files, the <c>--commit</c> flag,
/// cell names and reports. Process-then-commit comes in two names because sync and async commits fail
/// differently on a crash.
/// </summary>
public static class CommitStrategyNames
{
    public const string AutoCommit = "auto-commit";
    public const string CommitBeforeProcess = "commit-before-process";
    public const string ProcessThenCommitSync = "process-then-commit-sync";
    public const string ProcessThenCommitAsync = "process-then-commit-async";

    public static IReadOnlyList<string> All { get; } = [AutoCommit, CommitBeforeProcess, ProcessThenCommitSync, ProcessThenCommitAsync];

    public static string ToName(CommitStrategy strategy, bool commitAsync) => strategy switch
    {
        CommitStrategy.AutoCommit => AutoCommit,
        CommitStrategy.CommitBeforeProcess => CommitBeforeProcess,
        CommitStrategy.ProcessThenCommit => commitAsync ? ProcessThenCommitAsync : ProcessThenCommitSync,
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, null),
    };

    /// <summary>The strategy a name stands for; callers accept only names from <see cref="All"/>.</summary>
    public static (CommitStrategy Strategy, bool CommitAsync) Parse(string name) => name switch
    {
        AutoCommit => (CommitStrategy.AutoCommit, false),
        CommitBeforeProcess => (CommitStrategy.CommitBeforeProcess, false),
        ProcessThenCommitSync => (CommitStrategy.ProcessThenCommit, false),
        ProcessThenCommitAsync => (CommitStrategy.ProcessThenCommit, true),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"not one of {string.Join(", ", All)}"),
    };
}
