using KafkaChaos.Cluster;

namespace KafkaChaos.Experiments.Settings;

/// <summary>The run's topic: its partitions and how it is replicated.</summary>
public static class TopicSettings
{
    public static SettingDescriptor<ExperimentSpec, int> Partitions { get; } = SettingKinds.Whole(
        new SettingKinds.Facts<ExperimentSpec, int>("topic.partitions", "--partitions", "partitions of the run's topic", ExperimentSpec.Default,
            s => s.Partitions, (s, v) => s with { Partitions = v }),
        1, 1000);

    /// <summary>At most the brokers; unset, the default never asks for more replicas than there are brokers.</summary>
    public static SettingDescriptor<ExperimentSpec, int> ReplicationFactor { get; } = SettingKinds.Whole(
        new SettingKinds.Facts<ExperimentSpec, int>("topic.replication_factor", "--replication-factor", "replication factor of the run's topic, at most the brokers", ExperimentSpec.Default,
            s => s.ReplicationFactor, (s, v) => s with { ReplicationFactor = v })
        {
            DefaultFrom = s => Math.Min(ExperimentSpec.Default.ReplicationFactor, s.Brokers),
            DefaultDoc = $"{ExperimentSpec.Default.ReplicationFactor}, or the brokers if fewer",
        },
        1, ClusterSpec.MaxBrokers);

    public static SettingDescriptor<ExperimentSpec, int> MinInsyncReplicas { get; } = SettingKinds.Whole(
        new SettingKinds.Facts<ExperimentSpec, int>("topic.min_insync_replicas", "--min-insync-replicas", "the topic's min.insync.replicas, at most the replication factor", ExperimentSpec.Default,
            s => s.MinInsyncReplicas, (s, v) => s with { MinInsyncReplicas = v })
        {
            DefaultFrom = s => Math.Min(ExperimentSpec.Default.MinInsyncReplicas, s.ReplicationFactor),
            DefaultDoc = $"{ExperimentSpec.Default.MinInsyncReplicas}, or the replication factor if lower",
        },
        1, ClusterSpec.MaxBrokers);

    public static IReadOnlyList<SettingDescriptor<ExperimentSpec>> All { get; } = [Partitions, ReplicationFactor, MinInsyncReplicas];
}
