namespace KafkaChaos.Cluster;

/// <summary>
/// Creating, growing, configuring and deleting topics: through the Admin API where the brokers have it,
/// through the distribution's own commands against ZooKeeper where they do not.
/// </summary>
public interface ITopicAdmin
{
    /// <summary>Asks for the topic; does not wait for its partitions to be led.</summary>
    Task CreateTopicAsync(string topic, int partitions, int replicationFactor, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken);

    /// <summary>Marks a topic for deletion; the controller removes its data in the background.</summary>
    Task DeleteTopicAsync(string topic, CancellationToken cancellationToken);

    /// <summary>Raises the topic's partition count to <paramref name="total"/>.</summary>
    Task AddPartitionsAsync(string topic, int total, CancellationToken cancellationToken);

    /// <summary>Sets, or with a null value removes, a topic-level override, without restarting any broker.</summary>
    Task SetTopicConfigAsync(string topic, string key, string? value, CancellationToken cancellationToken);
}
