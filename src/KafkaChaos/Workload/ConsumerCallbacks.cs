using Confluent.Kafka;

namespace KafkaChaos.Workload;

/// <summary>What a consumer client tells its owner: its log, its errors, and the partitions it was given or lost.</summary>
public sealed record ConsumerCallbacks(
    Action<LogMessage> Log,
    Action<Error> Error,
    Action<IReadOnlyList<TopicPartition>> Assigned,
    Action<IReadOnlyList<TopicPartition>> Revoked);
