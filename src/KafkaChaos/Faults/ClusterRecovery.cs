using KafkaChaos.Cluster;

namespace KafkaChaos.Faults;

/// <summary>
/// What a heal waits for once a fault is undone: every broker registered and every replica of the topic
/// back in its ISR, so that the next fault and the final read meet a whole cluster.
/// </summary>
/// <remarks>
/// A broker can be running and yet never rejoin. Kafka 0.9 brokers cut off from ZooKeeper long enough
/// for their session to expire sometimes never re-create their registration once the network is back,
/// and stay out of the cluster until restarted, which is what an operator would do. So a broker that is
/// running, unpaused and still unregistered <see cref="RejoinTimeout"/> after the heal is restarted, and
/// the restart is part of the heal's evidence. Brokers that are stopped or paused are left alone:
/// another fault is holding them down.
/// </remarks>
public static class ClusterRecovery
{
    public static readonly TimeSpan RejoinTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan HealTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Waits for a whole cluster, restarting brokers that are running but did not rejoin.</summary>
    public static async Task<(bool Whole, ClusterTopology Topology, IReadOnlyList<int> Restarted)> WaitAsync(KafkaCluster cluster, string topic,
        TimeProvider time, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        bool Whole(ClusterTopology t) => t.IsWhole(cluster.Brokers.Count);
        var (whole, topology) = await PollAsync(cluster, topic, Whole, RejoinTimeout, time, cancellationToken);
        var restarted = new List<int>();
        if (whole)
        {
            return (whole, topology, restarted);
        }

        foreach (var broker in cluster.Brokers.Where(b => !topology.Brokers.Contains(b.Id)))
        {
            var (running, paused) = await cluster.ContainerStateAsync(broker, cancellationToken);
            if (!running || paused)
            {
                continue;
            }

            log($"{broker.Target} is running but has not rejoined the cluster {RejoinTimeout.TotalSeconds:0} s after the heal; restarting it");
            await cluster.StopAsync(broker, TimeSpan.FromSeconds(10), cancellationToken);
            await cluster.StartAsync(broker, cancellationToken);
            restarted.Add(broker.Id);
        }

        // Restarted brokers, and brokers another fault still holds down, must come back for clients too.
        await cluster.WaitForBrokersAsync(cluster.Brokers.Select(b => b.Id).ToArray(), HealTimeout, cancellationToken);
        (whole, topology) = await PollAsync(cluster, topic, Whole, HealTimeout, time, cancellationToken);
        return (whole, topology, restarted);
    }

    /// <summary>The evidence line for a restart, empty when there was none.</summary>
    public static string DescribeRestarts(IReadOnlyList<int> restarted) => restarted.Count == 0 ? ""
        : $"; broker(s) [{string.Join(',', restarted)}] were running but had not rejoined {RejoinTimeout.TotalSeconds:0} s after the heal, and were restarted";

    /// <summary>Polls the topology until <paramref name="condition"/> holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<(bool Met, ClusterTopology Topology)> PollAsync(KafkaCluster cluster, string topic, Func<ClusterTopology, bool> condition,
        TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = time.GetUtcNow() + timeout;
        ClusterTopology topology;
        do
        {
            topology = await cluster.TopologyAsync(topic, cancellationToken);
            if (condition(topology))
            {
                return (true, topology);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }
        while (time.GetUtcNow() < deadline);

        return (false, topology);
    }
}
