namespace KafkaChaos.Cluster;

/// <summary>Waiting on a cluster's topology: the one loop that faults, heals and topic creation all poll with.</summary>
public static class TopologyPolling
{
    /// <summary>Polls the topology until <paramref name="condition"/> holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<(bool Met, ClusterTopology Topology)> PollAsync(this ITopologySource topology, string topic, Func<ClusterTopology, bool> condition,
        TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(time);
        var deadline = time.GetUtcNow() + timeout;
        ClusterTopology seen;
        do
        {
            seen = await topology.TopologyAsync(topic, cancellationToken);
            if (condition(seen))
            {
                return (true, seen);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }
        while (time.GetUtcNow() < deadline);

        return (false, seen);
    }

    /// <summary>Creates a topic and waits until every partition has a leader and a full ISR: what a workload needs before it starts.</summary>
    public static async Task CreateTopicAndWaitAsync(this ClusterAccess cluster, string topic, int partitions, int replicationFactor,
        IReadOnlyDictionary<string, string> config, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        await cluster.Topics.CreateTopicAsync(topic, partitions, replicationFactor, config, cancellationToken);
        var (ready, topology) = await cluster.Topology.PollAsync(topic,
            t => t.Partitions.Count == partitions && t.Partitions.All(p => p.Leader >= 0 && p.InSyncReplicas.Count == replicationFactor), timeout, time, cancellationToken);
        if (!ready)
        {
            throw new InfrastructureException($"topic {topic} did not get a leader and a full ISR for all {partitions} partitions within {timeout.TotalSeconds:0} s: {topology}");
        }
    }
}
