using Confluent.Kafka;
using KafkaChaos.Cluster;

namespace KafkaChaos.Tests.MockCluster;

/// <summary>
/// The mock cluster as a run's target, the way <c>--bootstrap</c> makes a user's cluster one: its version
/// detected by ApiVersions, its topics made through the mock's own call (it serves no CreateTopics), and
/// every description of it saying "mock cluster".
/// </summary>
internal sealed class MockClusterTarget(LibrdkafkaMockCluster cluster, KafkaVersion version) : IExternalTarget
{
    public const string Kind = "mock cluster (librdkafka's test fixture: no replication, no durable log; never evidence for a claim about Kafka)";

    public string BootstrapServers => cluster.BootstrapServers;

    public KafkaVersion Version => version;

    public IReadOnlyDictionary<string, string> ClientSettings => new Dictionary<string, string>(ClientCompatibility.SettingsFor(Version), StringComparer.Ordinal)
    {
        ["bootstrap.servers"] = BootstrapServers,
    };

    public IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cluster.kind"] = Kind,
        ["cluster.bootstrap"] = BootstrapServers,
        ["cluster.kafka.version"] = Version.ToString(),
    };

    public async Task CreateTopicAsync(string topic, int partitions, int replicationFactor, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        cluster.CreateTopic(topic, partitions, replicationFactor);
        using var admin = new AdminClientBuilder(ClientSettings).Build();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var described = admin.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.SingleOrDefault(t => t.Topic == topic);
            if (described is { Error.IsError: false } && described.Partitions.Count == partitions && described.Partitions.All(p => p.Leader >= 0))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, cancellationToken);
        }

        throw new InfrastructureException($"the mock cluster's topic {topic} got no leaders");
    }
}
