using Confluent.Kafka;
using KafkaChaos.Workload;

namespace KafkaChaos.Tests.Workload;

/// <summary>
/// A topic and its group's committed offsets, held in memory: what a broker keeps for a consumer group
/// across the deaths of its members. <see cref="Create"/> hands out clients over it.
/// </summary>
internal sealed class InMemoryTopic : IConsumerClientFactory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, long> _committed = [];
    private int _delivered;

    public InMemoryTopic(string name, Guid runId, int partitions, int messagesPerPartition)
    {
        Name = name;
        Records = [.. Enumerable.Range(0, partitions).Select(p => (IReadOnlyList<MessageEnvelope>)[.. Enumerable.Range(0, messagesPerPartition)
            .Select(o => new MessageEnvelope(runId, p, o, 0))])];
    }

    public string Name { get; }

    /// <summary>Partition by partition, what was written: producer id = partition, sequence = offset.</summary>
    public IReadOnlyList<IReadOnlyList<MessageEnvelope>> Records { get; }

    public int Total => Records.Sum(p => p.Count);

    /// <summary>The group's committed offset of each partition; absent when nothing was committed.</summary>
    public IReadOnlyDictionary<int, long> Committed
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<int, long>(_committed);
            }
        }
    }

    /// <summary>How many records the clients have handed out, over all of them.</summary>
    public int Delivered
    {
        get
        {
            lock (_gate)
            {
                return _delivered;
            }
        }
    }

    public IConsumer<Ignore, MessageEnvelope?> Create(IReadOnlyDictionary<string, string> config, ConsumerCallbacks callbacks) => new InMemoryConsumer(this, config, callbacks);

    internal void Commit(int partition, long offset)
    {
        lock (_gate)
        {
            _committed[partition] = offset;
        }
    }

    internal long Start(int partition)
    {
        lock (_gate)
        {
            return _committed.GetValueOrDefault(partition, 0);
        }
    }

    internal void CountDelivered()
    {
        lock (_gate)
        {
            _delivered++;
        }
    }
}
