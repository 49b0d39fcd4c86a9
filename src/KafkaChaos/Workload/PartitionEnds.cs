using Confluent.Kafka;
using KafkaChaos.Cluster;

namespace KafkaChaos.Workload;

/// <summary>
/// The current end offset (high watermark) of each partition of a topic, read from the partition leaders:
/// what a drain waits for and where the final read stops. Right after a heal, leadership may still be
/// moving, so "not leader" and timeouts are asked again until a leader answers or the time runs out.
/// </summary>
public static class PartitionEnds
{
    /// <summary>How long a drain waits for every partition's leader to answer after a heal.</summary>
    public static readonly TimeSpan LeaderTimeout = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>One partition's end offset, or null when no leader answered within <paramref name="timeout"/>.</summary>
    public static long? Read<TKey, TValue>(IConsumer<TKey, TValue> consumer, string topic, int partition, TimeSpan timeout,
        TimeProvider time, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(log);
        var started = time.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), QueryTimeout).High.Value;
            }
            catch (KafkaException e) when (!e.Error.IsFatal)
            {
                log($"no end offset for partition {partition} yet: {e.Error.Code}: {e.Error.Reason}");
                if (time.GetElapsedTime(started) > timeout)
                {
                    return null;
                }

                Task.Delay(RetryInterval, time, cancellationToken).GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>Every partition's end offset.</summary>
    /// <exception cref="InfrastructureException">A partition had no leader that answered within <see cref="LeaderTimeout"/>.</exception>
    public static IReadOnlyDictionary<int, long> ReadAll<TKey, TValue>(IConsumer<TKey, TValue> consumer, string topic, int partitions,
        TimeProvider time, Action<string> log, CancellationToken cancellationToken)
    {
        var ends = new Dictionary<int, long>();
        for (var partition = 0; partition < partitions; partition++)
        {
            ends[partition] = Read(consumer, topic, partition, LeaderTimeout, time, log, cancellationToken)
                ?? throw new InfrastructureException(
                    $"partition {partition} of {topic} has no leader that answered for its end offset within {LeaderTimeout.TotalSeconds:0} s");
        }

        return ends;
    }
}
