using System.Buffers.Binary;
using Confluent.Kafka;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// A plain read of a kept cluster's topic, written apart from the tool's readers: assign every partition,
/// read from the beginning to the high watermark, and take producer id and sequence straight from the
/// envelope's bytes (docs/journal.md). What it finds is the independent count the ledger is held to.
/// </summary>
internal sealed record PlainTopicRead(HashSet<(int Producer, long Sequence)> Distinct, long ExtraCopies, long Records, long Unreadable,
    string Topic, IReadOnlyDictionary<int, long> Ends, IReadOnlyDictionary<(int Partition, long Offset), (int Producer, long Sequence)> Positions)
{
    public static PlainTopicRead Of(IReadOnlyDictionary<string, string> clientSettings)
    {
        var config = new Dictionary<string, string>(clientSettings, StringComparer.Ordinal)
        {
            ["group.id"] = "plain-read-" + Guid.NewGuid().ToString("N"),
            ["enable.auto.commit"] = "false",
            ["auto.offset.reset"] = "earliest",
            // Right after a heal the client's view of a partition can be stale ("unknown partition"), and by
            // default it is refreshed only every 5 minutes: the retries below need a fresh one each time.
            ["topic.metadata.refresh.interval.ms"] = "1000",
        };
        using var admin = new AdminClientBuilder(clientSettings).Build();
        var topic = admin.GetMetadata(TimeSpan.FromSeconds(20)).Topics.Single(t => t.Topic.StartsWith("chaos-", StringComparison.Ordinal));
        using var consumer = new ConsumerBuilder<Ignore, byte[]?>(config).Build();
        var partitions = topic.Partitions.Select(p => new TopicPartition(topic.Topic, p.PartitionId)).ToList();
        var ends = partitions.ToDictionary(p => p.Partition.Value, p => HighWatermark(consumer, p));
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var next = partitions.ToDictionary(p => p.Partition.Value, _ => 0L);
        var distinct = new HashSet<(int, long)>();
        var positions = new Dictionary<(int, long), (int, long)>();
        long records = 0, extra = 0, unreadable = 0;
        var idleSince = TimeProvider.System.GetUtcNow();
        while (next.Any(n => n.Value < ends[n.Key]))
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is null)
            {
                if (TimeProvider.System.GetUtcNow() - idleSince > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"the plain read stalled at {string.Join(", ", next.Select(n => $"p{n.Key}:{n.Value}/{ends[n.Key]}"))}");
                }

                continue;
            }

            idleSince = TimeProvider.System.GetUtcNow();
            next[result.Partition.Value] = result.Offset.Value + 1;
            records++;
            var value = result.Message.Value;
            if (value is null || value.Length < 44 || value[0] != (byte)'K' || value[1] != (byte)'C')
            {
                unreadable++;
                continue;
            }

            var key = ((int)BinaryPrimitives.ReadUInt32LittleEndian(value.AsSpan(24, 4)), BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(28, 8)));
            positions[(result.Partition.Value, result.Offset.Value)] = key;
            if (!distinct.Add(key))
            {
                extra++;
            }
        }

        consumer.Close();
        return new PlainTopicRead(distinct, extra, records, unreadable, topic.Topic, ends, positions);
    }

    /// <summary>Right after a heal (or an interrupted run's undo) a partition's leader may not be known yet: asked again for up to a minute.</summary>
    private static long HighWatermark(IConsumer<Ignore, byte[]?> consumer, TopicPartition partition)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High.Value;
            }
            catch (KafkaException) when (attempt < 12)
            {
                TimeProvider.System.Sleep(TimeSpan.FromSeconds(5));
            }
        }
    }
}
