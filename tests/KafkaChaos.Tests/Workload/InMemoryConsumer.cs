using Confluent.Kafka;
using KafkaChaos.Workload;

namespace KafkaChaos.Tests.Workload;

/// <summary>
/// A consumer client over an <see cref="InMemoryTopic"/>, keeping librdkafka's commit rules as the tool sets
/// them: with enable.auto.offset.store a record's next offset is stored when Consume returns it, and with
/// enable.auto.commit what is stored is committed in the background. Here "the background" is each Consume
/// and Committed call and Close, as if an interval had passed: the test decides nothing by time. Dispose
/// without Close is a crash: nothing more is committed.
/// </summary>
internal sealed class InMemoryConsumer(InMemoryTopic topic, IReadOnlyDictionary<string, string> config, ConsumerCallbacks callbacks) : IConsumer<Ignore, MessageEnvelope?>
{
    private readonly bool _autoCommit = config.GetValueOrDefault("enable.auto.commit", "true") == "true";
    private readonly bool _autoStore = config.GetValueOrDefault("enable.auto.offset.store", "true") == "true";
    private readonly Dictionary<int, long> _positions = [];
    private readonly Dictionary<int, long> _stored = [];
    private bool _subscribed;
    private bool _closed;
    private int _next;

    public string MemberId => "in-memory";

    public List<TopicPartition> Assignment => [.. _positions.Keys.Select(p => new TopicPartition(topic.Name, p))];

    public List<string> Subscription => _subscribed ? [topic.Name] : [];

    public IConsumerGroupMetadata ConsumerGroupMetadata => throw new NotSupportedException();

    public Handle Handle => throw new NotSupportedException();

    public string Name => "in-memory consumer";

    public void Subscribe(string topicName) => _subscribed = topicName == topic.Name;

    public ConsumeResult<Ignore, MessageEnvelope?>? Consume(TimeSpan timeout)
    {
        if (!_subscribed || _closed)
        {
            return null;
        }

        if (_positions.Count == 0)
        {
            for (var p = 0; p < topic.Records.Count; p++)
            {
                _positions[p] = topic.Start(p);
            }

            callbacks.Assigned([.. _positions.Keys.Select(p => new TopicPartition(topic.Name, p))]);
        }

        CommitStoredInTheBackground();
        for (var tried = 0; tried < topic.Records.Count; tried++)
        {
            var partition = _next++ % topic.Records.Count;
            var offset = _positions[partition];
            if (offset < topic.Records[partition].Count)
            {
                _positions[partition] = offset + 1;
                if (_autoStore)
                {
                    _stored[partition] = offset + 1;
                }

                topic.CountDelivered();
                return new ConsumeResult<Ignore, MessageEnvelope?>
                {
                    TopicPartitionOffset = new TopicPartitionOffset(topic.Name, partition, offset),
                    Message = new Message<Ignore, MessageEnvelope?> { Value = topic.Records[partition][(int)offset] },
                };
            }
        }

        Thread.Yield();
        return null;
    }

    public void StoreOffset(TopicPartitionOffset offset)
    {
        ArgumentNullException.ThrowIfNull(offset);
        _stored[offset.Partition.Value] = offset.Offset.Value;
    }

    public void Commit(IEnumerable<TopicPartitionOffset> offsets)
    {
        foreach (var offset in offsets)
        {
            topic.Commit(offset.Partition.Value, offset.Offset.Value);
        }
    }

    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout)
    {
        CommitStoredInTheBackground();
        var committed = topic.Committed;
        return [.. partitions.Select(p => new TopicPartitionOffset(p, committed.TryGetValue(p.Partition.Value, out var o) ? new Offset(o) : Offset.Unset))];
    }

    public void Close()
    {
        CommitStoredInTheBackground();
        _closed = true;
        callbacks.Revoked(Assignment);
    }

    public void Dispose()
    {
    }

    private void CommitStoredInTheBackground()
    {
        if (_autoCommit)
        {
            foreach (var (partition, offset) in _stored)
            {
                topic.Commit(partition, offset);
            }
        }
    }

    public ConsumeResult<Ignore, MessageEnvelope?> Consume(int millisecondsTimeout) => Consume(TimeSpan.FromMilliseconds(millisecondsTimeout))!;

    public ConsumeResult<Ignore, MessageEnvelope?> Consume(CancellationToken cancellationToken) => throw new NotSupportedException();

    public void Subscribe(IEnumerable<string> topics) => throw new NotSupportedException();

    public void Unsubscribe() => throw new NotSupportedException();

    public void Assign(TopicPartition partition) => throw new NotSupportedException();

    public void Assign(TopicPartitionOffset partition) => throw new NotSupportedException();

    public void Assign(IEnumerable<TopicPartitionOffset> partitions) => throw new NotSupportedException();

    public void Assign(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();

    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => throw new NotSupportedException();

    public void IncrementalAssign(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();

    public void IncrementalUnassign(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();

    public void Unassign() => throw new NotSupportedException();

    public void StoreOffset(ConsumeResult<Ignore, MessageEnvelope?> result) => throw new NotSupportedException();

    public List<TopicPartitionOffset> Commit() => throw new NotSupportedException();

    public void Commit(ConsumeResult<Ignore, MessageEnvelope?> result) => throw new NotSupportedException();

    public void Seek(TopicPartitionOffset tpo) => throw new NotSupportedException();

    public void Pause(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();

    public void Resume(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();

    public List<TopicPartitionOffset> Committed(TimeSpan timeout) => throw new NotSupportedException();

    public Offset Position(TopicPartition partition) => throw new NotSupportedException();

    public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout) => throw new NotSupportedException();

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition topicPartition) => throw new NotSupportedException();

    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition topicPartition, TimeSpan timeout) => throw new NotSupportedException();

    public int AddBrokers(string brokers) => throw new NotSupportedException();

    public void SetSaslCredentials(string username, string password) => throw new NotSupportedException();
}
