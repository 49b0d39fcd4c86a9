using Confluent.Kafka;

namespace KafkaChaos.Workload;

/// <summary>
/// The current end offset (high watermark) of each partition of a topic, read from the partition leaders:
/// what a drain waits for. Right after a heal, leadership may still be moving, so "not leader" and
/// timeouts are retried for up to a minute.
/// </summary>
public static class PartitionEnds
{
    public static IReadOnlyDictionary<int, long> Read<TKey, TValue>(IConsumer<TKey, TValue> consumer, string topic, int partitions)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        var ends = new Dictionary<int, long>();
        for (var partition = 0; partition < partitions; partition++)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    ends[partition] = consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(10)).High.Value;
                    break;
                }
                catch (KafkaException e) when (attempt < 30 && !e.Error.IsFatal)
                {
                    Thread.Sleep(2000);
                }
            }
        }

        return ends;
    }
}
