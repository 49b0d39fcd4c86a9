using System.Globalization;

namespace KafkaChaos.Cluster;

/// <summary>
/// Topics through ZooKeeper with the distribution's TopicCommand and ConfigCommand: the only way on brokers
/// older than the CreateTopics API (0.10.1), and for topic settings older than IncrementalAlterConfigs (2.3).
/// Brokers read topic overrides from ZooKeeper when they need them, so no restart is involved.
/// </summary>
public sealed class ZooKeeperTopicAdmin(DistributionShell shell) : ITopicAdmin
{
    public async Task CreateTopicAsync(string topic, int partitions, int replicationFactor, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var arguments = new List<string>
        {
            "--create", "--topic", topic,
            "--partitions", partitions.ToString(CultureInfo.InvariantCulture),
            "--replication-factor", replicationFactor.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in config)
        {
            arguments.Add("--config");
            arguments.Add($"{key}={value}");
        }

        await shell.RunClassAsync("kafka.admin.TopicCommand", arguments, "Created topic", $"creating topic {topic}", cancellationToken);
    }

    public Task DeleteTopicAsync(string topic, CancellationToken cancellationToken) =>
        shell.RunClassAsync("kafka.admin.TopicCommand", ["--delete", "--topic", topic], "marked for deletion", $"deleting topic {topic}", cancellationToken);

    public Task AddPartitionsAsync(string topic, int total, CancellationToken cancellationToken) =>
        shell.RunClassAsync("kafka.admin.TopicCommand", ["--alter", "--topic", topic, "--partitions", total.ToString(CultureInfo.InvariantCulture)],
            "Adding partitions succeeded", $"raising {topic} to {total} partitions", cancellationToken);

    public Task SetTopicConfigAsync(string topic, string key, string? value, CancellationToken cancellationToken)
    {
        string[] change = value is null ? ["--delete-config", key] : ["--add-config", $"{key}={value}"];
        return shell.RunClassAsync("kafka.admin.ConfigCommand", ["--alter", "--entity-type", "topics", "--entity-name", topic, .. change],
            "Updated config", $"changing {topic}'s {key}", cancellationToken);
    }
}
