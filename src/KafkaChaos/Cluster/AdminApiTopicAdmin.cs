using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace KafkaChaos.Cluster;

/// <summary>
/// Topics through the Admin API: CreateTopics and DeleteTopics (0.10.1), CreatePartitions (1.0) and
/// IncrementalAlterConfigs (2.3). What the brokers' version lacks goes to <paramref name="older"/>, the
/// ZooKeeper commands, where there is a ZooKeeper; without one it is refused with the version that has it.
/// </summary>
public sealed class AdminApiTopicAdmin(Func<IAdminClient> admin, KafkaVersion version, ITopicAdmin? older) : ITopicAdmin
{
    private static readonly KafkaVersion CreatePartitions = new(1, 0, 0);
    private static readonly KafkaVersion IncrementalAlterConfigs = new(2, 3, 0);

    public async Task CreateTopicAsync(string topic, int partitions, int replicationFactor, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        await admin().CreateTopicsAsync([new TopicSpecification
        {
            Name = topic,
            NumPartitions = partitions,
            ReplicationFactor = (short)replicationFactor,
            Configs = config.ToDictionary(kv => kv.Key, kv => kv.Value),
        }]);
    }

    public async Task DeleteTopicAsync(string topic, CancellationToken cancellationToken) => await admin().DeleteTopicsAsync([topic]);

    public async Task AddPartitionsAsync(string topic, int total, CancellationToken cancellationToken)
    {
        if (version >= CreatePartitions)
        {
            await admin().CreatePartitionsAsync([new PartitionsSpecification { Topic = topic, IncreaseTo = total }]);
            return;
        }

        await Older("adding partitions", CreatePartitions).AddPartitionsAsync(topic, total, cancellationToken);
    }

    public async Task SetTopicConfigAsync(string topic, string key, string? value, CancellationToken cancellationToken)
    {
        if (version >= IncrementalAlterConfigs)
        {
            var entry = new ConfigEntry { Name = key, Value = value, IncrementalOperation = value is null ? AlterConfigOpType.Delete : AlterConfigOpType.Set };
            await admin().IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
            {
                [new ConfigResource { Type = ResourceType.Topic, Name = topic }] = [entry],
            });
            return;
        }

        await Older($"changing a topic's {key}", IncrementalAlterConfigs).SetTopicConfigAsync(topic, key, value, cancellationToken);
    }

    private ITopicAdmin Older(string what, KafkaVersion needed) =>
        older ?? throw new InfrastructureException($"{what} needs Kafka {needed} or a ZooKeeper to do it through; the brokers are {version}");
}
