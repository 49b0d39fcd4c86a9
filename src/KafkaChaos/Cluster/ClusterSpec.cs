namespace KafkaChaos.Cluster;

/// <summary>
/// What cluster to start: the broker image, the Kafka version inside it, how many brokers, and
/// cluster-wide broker settings (min.insync.replicas, unclean.leader.election.enable, … any key).
/// </summary>
public sealed record ClusterSpec(string Image, KafkaVersion Version, int Brokers, IReadOnlyDictionary<string, string> BrokerConfig)
{
    public const int MinBrokers = 1;
    public const int MaxBrokers = 9;
}
