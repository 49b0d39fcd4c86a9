namespace KafkaChaos.Cluster;

/// <summary>A broker container (or a KRaft controller's, ids from 101): its Kafka broker.id or node.id, Docker container, and address on the run's network.</summary>
public sealed record BrokerNode(int Id, string ContainerId, string ContainerName, string IpAddress)
{
    public string Target => $"{(Id >= KRaftConfig.FirstControllerId ? "controller" : "broker")}-{Id} ({ContainerName})";
}
