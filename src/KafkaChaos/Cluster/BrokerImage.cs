namespace KafkaChaos.Cluster;

/// <summary>A broker image the tool can start: its Kafka version, where the distribution is in it, and whether it has iptables.</summary>
/// <param name="Image">The reference as given.</param>
/// <param name="Version">The Kafka version inside.</param>
/// <param name="Layout">Where its scripts and jars are.</param>
/// <param name="HasIptables">Whether network faults can run in the broker's own container; without, they run in a sidecar.</param>
/// <param name="VersionSource">Where the version was read, for the run's log and results.</param>
public sealed record BrokerImage(string Image, KafkaVersion Version, KafkaImageLayout Layout, bool HasIptables, string VersionSource);
