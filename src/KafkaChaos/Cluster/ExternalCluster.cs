using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace KafkaChaos.Cluster;

/// <summary>
/// A cluster this tool did not start (<c>--bootstrap</c>): a compose file's, a staging cluster. Only
/// client-side faults apply to it (restart-consumer, restart-producer); the tool never touches its
/// brokers.
/// </summary>
/// <remarks>
/// Security settings (<c>security.protocol</c>, <c>sasl.*</c>, <c>ssl.*</c>) go to the clients and
/// nowhere else: <see cref="Describe"/> masks every secret, so credentials never reach logs, journals
/// or reports.
/// </remarks>
public sealed class ExternalCluster(string bootstrapServers, KafkaVersion version, IReadOnlyDictionary<string, string> clientConfig, TimeProvider time) : IExternalTarget
{
    private static readonly TimeSpan TopicTimeout = TimeSpan.FromSeconds(60);

    public string BootstrapServers { get; } = bootstrapServers;

    public KafkaVersion Version { get; } = version;

    public IReadOnlyDictionary<string, string> ClientSettings
    {
        get
        {
            var settings = new Dictionary<string, string>(ClientCompatibility.SettingsFor(Version), StringComparer.Ordinal);
            foreach (var (key, value) in clientConfig)
            {
                settings[key] = value;
            }

            settings["bootstrap.servers"] = BootstrapServers;
            return settings;
        }
    }

    /// <summary>True for settings whose value is a credential.</summary>
    public static bool IsSecret(string key) =>
        key.Contains("password", StringComparison.OrdinalIgnoreCase) || key.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || key.Equals("sasl.jaas.config", StringComparison.OrdinalIgnoreCase) || key.Contains("private.key", StringComparison.OrdinalIgnoreCase)
        || key.Contains("token", StringComparison.OrdinalIgnoreCase) || key.Equals("sasl.username", StringComparison.OrdinalIgnoreCase);

    /// <summary>The target as journals and reports record it, secrets masked.</summary>
    public IReadOnlyDictionary<string, string> Describe()
    {
        var described = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cluster.bootstrap"] = BootstrapServers,
            ["cluster.kafka.version"] = Version.ToString(),
        };
        foreach (var (key, value) in clientConfig)
        {
            described["client." + key] = IsSecret(key) ? "***" : value;
        }

        return described;
    }

    public async Task CreateTopicAsync(string topic, int partitions, int replicationFactor, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        using var admin = new AdminClientBuilder(ClientSettings).Build();
        if (!Version.HasCreateTopicsApi)
        {
            // Before 0.10.1 there is no CreateTopics request: asking for the topic's metadata makes a
            // broker with auto.create.topics.enable create it with its own num.partitions and
            // default.replication.factor, which then must be what the experiment asks for.
            await WaitForLeadersAsync(admin, topic, partitions, cancellationToken);
            var created = admin.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.Single(t => t.Topic == topic);
            if (created.Partitions.Count != partitions || created.Partitions.Any(p => p.Replicas.Length != replicationFactor))
            {
                throw new ClusterConfigException(
                    $"Kafka {Version} cannot create topics on request; the brokers auto-created {topic} with {created.Partitions.Count} partitions and "
                    + $"replication factor {created.Partitions.Max(p => p.Replicas.Length)}, but the experiment asks for {partitions} and {replicationFactor}: "
                    + "set num.partitions and default.replication.factor on the brokers to match");
            }

            return;
        }

        try
        {
            await admin.CreateTopicsAsync([new TopicSpecification
            {
                Name = topic,
                NumPartitions = partitions,
                ReplicationFactor = (short)replicationFactor,
                Configs = config.ToDictionary(kv => kv.Key, kv => kv.Value),
            }]);
        }
        catch (CreateTopicsException e)
        {
            throw new InfrastructureException($"creating topic {topic} on {BootstrapServers} failed: {e.Results[0].Error.Reason}");
        }
        catch (KafkaException e)
        {
            throw new InfrastructureException($"cannot reach the cluster at {BootstrapServers}: {e.Error.Reason}; check --bootstrap and the client settings");
        }

        await WaitForLeadersAsync(admin, topic, partitions, cancellationToken);
    }

    private async Task WaitForLeadersAsync(IAdminClient admin, string topic, int partitions, CancellationToken cancellationToken)
    {
        var deadline = time.Deadline(TopicTimeout);
        while (time.Before(deadline))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(5));
                if (metadata.Topics.SingleOrDefault(t => t.Topic == topic) is { Error.IsError: false } described
                    && described.Partitions.Count > 0 && described.Partitions.All(p => p.Leader >= 0)
                    && (!Version.HasCreateTopicsApi || described.Partitions.Count == partitions))
                {
                    return;
                }
            }
            catch (KafkaException e)
            {
                throw new InfrastructureException($"cannot reach the cluster at {BootstrapServers}: {e.Error.Reason}; check --bootstrap and the client settings");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }

        throw new InfrastructureException($"topic {topic} on {BootstrapServers} did not get leaders for its partitions within {TopicTimeout.TotalSeconds:0} s");
    }
}
