using KafkaChaos.Workload;

namespace KafkaChaos.Experiments.Settings;

/// <summary>The verifying consumer group: its instances, how they commit, and how they process.</summary>
public static class ConsumerSettings
{
    public const int MaxBatch = 10_000;

    private static readonly IReadOnlyList<((CommitStrategy, bool), string)> CommitNames =
        [.. CommitStrategyNames.All.Select(n => (CommitStrategyNames.Parse(n), n))];

    public static SettingDescriptor<ExperimentSpec, int> Instances { get; } = SettingKinds.Whole(
        Facts("consumer.instances", "--consumers", "consumer instances in the group", c => c.Consumers, (c, v) => c with { Consumers = v }),
        1, WorkloadSettings.MaxClients);

    public static SettingDescriptor<ExperimentSpec, (CommitStrategy Strategy, bool CommitAsync)> Commit { get; } = SettingKinds.Choice(
        Facts<(CommitStrategy, bool)>("consumer.commit", "--commit", "how the consumer commits: by librdkafka's timer, before processing, or after it (synchronously or not)",
            c => (c.Commit, c.CommitAsync), (c, v) => c with { Commit = v.Item1, CommitAsync = v.Item2 }),
        CommitNames);

    public static SettingDescriptor<ExperimentSpec, int> Batch { get; } = SettingKinds.Whole(
        Facts("consumer.batch", "--batch", "records per poll batch, committed together", c => c.BatchSize, (c, v) => c with { BatchSize = v }),
        1, MaxBatch);

    public static SettingDescriptor<ExperimentSpec, int> ProcessingMs { get; } = SettingKinds.Whole(
        Facts("consumer.processing_ms", "--processing-ms", "how long processing one record takes, in milliseconds",
            c => (int)c.ProcessingTime.TotalMilliseconds, (c, v) => c with { ProcessingTime = TimeSpan.FromMilliseconds(v) }),
        0, 60_000);

    public static SettingDescriptor<ExperimentSpec, bool> Dedup { get; } = SettingKinds.Switch(
        Facts("consumer.dedup", "--dedup", "skip records a file-backed processed-id store has seen", c => c.DedupStore, (c, v) => c with { DedupStore = v }));

    public static SettingDescriptor<ExperimentSpec, bool> DedupMark { get; } = SettingKinds.Choice(
        Facts("consumer.dedup_mark", "--dedup-mark", "when the store marks a record: atomic (with the processing, in one step) or after-processing (a separate write)",
            c => c.DedupMarkAfterProcessing, (c, v) => c with { DedupMarkAfterProcessing = v }),
        [(false, "atomic"), (true, "after-processing")]);

    public static SettingDescriptor<ExperimentSpec, bool> Processing { get; } = SettingKinds.Choice(
        Facts("consumer.processing", "--processing", "inline (on the poll thread) or worker-queue (handed to a worker thread, done at hand-over)",
            c => c.WorkerQueue, (c, v) => c with { WorkerQueue = v }),
        [(false, "inline"), (true, "worker-queue")]);

    public static SettingDescriptor<ExperimentSpec, string> AutoOffsetReset { get; } = SettingKinds.Choice(
        Facts("consumer.auto_offset_reset", "--auto-offset-reset", "where a partition without a committed offset starts: earliest or latest",
            c => c.AutoOffsetReset, (c, v) => c with { AutoOffsetReset = v }),
        [("earliest", "earliest"), ("latest", "latest")]);

    public static SettingDescriptor<ExperimentSpec, int> AutoCommitIntervalMs { get; } = SettingKinds.Whole(
        Facts("consumer.auto_commit_interval_ms", "--auto-commit-interval-ms", "librdkafka's auto-commit interval, in milliseconds",
            c => c.AutoCommitIntervalMs, (c, v) => c with { AutoCommitIntervalMs = v }),
        1, 600_000);

    public static IReadOnlyList<SettingDescriptor<ExperimentSpec>> All { get; } =
        [Instances, Commit, Batch, ProcessingMs, Dedup, DedupMark, Processing, AutoOffsetReset, AutoCommitIntervalMs];

    private static SettingKinds.Facts<ExperimentSpec, T> Facts<T>(string key, string flag, string doc, Func<ConsumerSpec, T> get, Func<ConsumerSpec, T, ConsumerSpec> set) =>
        new(key, flag, doc, ExperimentSpec.Default, s => get(s.Consumer), (s, v) => s with { Consumer = set(s.Consumer, v) });
}
