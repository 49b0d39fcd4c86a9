namespace KafkaChaos.Cluster;

/// <summary>
/// Everything faults may do to a cluster, in the four parts they need: its broker processes, its source of
/// truth about leaders and replicas, its topics, and its network. A cluster this tool started and one it
/// attached to give the same four; the nemesis's tests give fakes.
/// </summary>
public sealed record ClusterAccess(IBrokerControl Brokers, ITopologySource Topology, ITopicAdmin Topics, IClusterNetwork Network);
