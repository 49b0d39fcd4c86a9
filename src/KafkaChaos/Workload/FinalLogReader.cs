using System.Globalization;
using Confluent.Kafka;
using KafkaChaos.Journal;

namespace KafkaChaos.Workload;

/// <summary>
/// The final read, as Jepsen's final polls and Kafka's own system-test validator do it: after the heal,
/// the quiet period and the group's drain, a reader outside the group assigns every partition, reads it
/// from the beginning up to the end offset fetched now, and journals every record in final.bin.
/// </summary>
/// <remarks>
/// Durability is judged on what this reader finds, because a record the group read may since have been
/// truncated (an unclean election, a follower that truncated to its high watermark and then led). It
/// never joins or commits for the group, so it changes nothing the group's verdict depends on. When it
/// cannot reach every end offset, or a partition has no leader, within the idle timeout, it says so and
/// the cell is invalid: what it did not read is unknown, never counted as lost.
/// </remarks>
public sealed class FinalLogReader(
    string topic, int partitions, Guid runId, IReadOnlyDictionary<string, string> clientSettings, JournalWriter journal, TimeProvider time, Action<string> clientLog)
{
    /// <summary>Reads the whole log; gives up after <paramref name="idleTimeout"/> without progress.</summary>
    public FinalReadSummary Read(TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var config = new Dictionary<string, string>(clientSettings, StringComparer.Ordinal)
        {
            ["group.id"] = $"kafka-chaos-final-{runId:N}",
            ["client.id"] = "kafka-chaos-final-read",
            ["enable.auto.commit"] = "false",
            ["enable.auto.offset.store"] = "false",
            ["auto.offset.reset"] = "earliest",
            ["enable.partition.eof"] = "true",
            [ConfigPropertyNames.Consumer.ConsumeResultFields] = "none",

            // A broker just restarted by a heal can answer metadata without the topic for a minute (seen:
            // "unknown partition" for 60 s after acks-leader-lag's kill); a refresh every second asks another.
            ["topic.metadata.refresh.interval.ms"] = "1000",
        };
        using var consumer = new ConsumerBuilder<Ignore, MessageEnvelope?>(config)
            .SetValueDeserializer(EnvelopeDeserializer.Instance)
            .SetLogHandler((_, m) => clientLog($"final-read {m.Level} {m.Facility}: {m.Message}"))
            .SetErrorHandler((_, e) => clientLog($"final-read error {e.Code}: {e.Reason}"))
            .Build();

        var ends = new Dictionary<int, long>();
        for (var partition = 0; partition < partitions; partition++)
        {
            if (PartitionEnds.Read(consumer, topic, partition, idleTimeout, time, line => clientLog("final-read: " + line), cancellationToken) is not { } end)
            {
                return new FinalReadSummary(false, ends, 0,
                    $"partition {partition} has no leader that answered for its end offset within {idleTimeout.TotalSeconds:0} s");
            }

            ends[partition] = end;
        }

        var lastRead = Enumerable.Repeat(-1L, partitions).ToArray();
        var endOfPartition = new long[partitions];
        bool Reached(int p) => lastRead[p] + 1 >= ends[p] || endOfPartition[p] >= ends[p];
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        long records = 0;
        var lastProgress = time.GetTimestamp();
        while (!Enumerable.Range(0, partitions).All(Reached))
        {
            cancellationToken.ThrowIfCancellationRequested();
            ConsumeResult<Ignore, MessageEnvelope?>? result;
            try
            {
                result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                clientLog($"final-read consume error, the client retries: {e.Error.Code}: {e.Error.Reason}");
                result = null;
            }

            if (result is null)
            {
                if (time.GetElapsedTime(lastProgress) > idleTimeout)
                {
                    var behind = Enumerable.Range(0, partitions).Where(p => !Reached(p))
                        .Select(p => $"partition {p} read to offset {lastRead[p] + 1} of {ends[p]}");
                    return new FinalReadSummary(false, ends, records, $"{string.Join(", ", behind)}; nothing arrived for {idleTimeout.TotalSeconds:0} s");
                }

                continue;
            }

            var partition = result.Partition.Value;
            if (result.IsPartitionEOF)
            {
                endOfPartition[partition] = result.Offset.Value;
                continue;
            }

            var offset = result.Offset.Value;
            var envelope = result.Message.Value.GetValueOrDefault();
            var readable = result.Message.Value.HasValue && envelope.RunId == runId;
            journal.WriteFinalRead(new ConsumedRecord(0, readable ? envelope.ProducerId : -1, readable ? envelope.Sequence : -1,
                partition, offset, time.Millis(), readable ? ConsumeKind.FinalRead : ConsumeKind.Unreadable));
            lastRead[partition] = Math.Max(lastRead[partition], offset);
            records++;
            lastProgress = time.GetTimestamp();
        }

        consumer.Close();
        return new FinalReadSummary(true, ends, records,
            string.Create(CultureInfo.InvariantCulture, $"read {records} records, every partition to its end offset, in {time.GetElapsedTime(started).TotalSeconds:0.0} s"));
    }
}
