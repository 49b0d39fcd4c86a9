namespace KafkaChaos.Cluster;

/// <summary>A broker container: its Kafka broker.id, Docker container, and address on the run's network.</summary>
public sealed record BrokerNode(int Id, string ContainerId, string ContainerName, string IpAddress)
{
    public string Target => $"broker-{Id} ({ContainerName})";
}
