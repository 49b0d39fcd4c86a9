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
/// another fault is holding them down. So is a broker whose log says it is still loading its logs: after
/// an unclean shutdown (SIGKILL) it re-reads every segment written since its last recovery checkpoint,
/// which on a topic of a few gigabytes takes minutes; restarting it would start that over and blame
/// it for what was a slow disk. It gets up to <see cref="LogLoadingLimit"/> as long as it is loading and
/// its log keeps moving.
/// <para>
/// A broker can also be registered and never rejoin an ISR: a controller that missed it coming back
/// (<see cref="ZooKeeperTopologySource.ReelectControllerAsync"/>) never tells it what to follow. When that is all that
/// is left a further <see cref="HealTimeout"/> on, and no other fault holds a broker, the controller is
/// re-elected, and that is evidence too.
/// </para>
/// </remarks>
public static class ClusterRecovery
{
    public static readonly TimeSpan RejoinTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan HealTimeout = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan LogLoadingLimit = TimeSpan.FromMinutes(10);

    /// <summary>How long a loading broker may write nothing before it counts as stuck (one large segment took 21 s here).</summary>
    public static readonly TimeSpan LogLoadingStall = TimeSpan.FromSeconds(90);

    /// <summary>
    /// What brokers write while loading their logs at startup, from 0.9 (<c>kafka.log.Log</c>) to KRaft
    /// releases (<c>kafka.log.LogLoader</c>, <c>UnifiedLog</c>); all of them until the broker has started.
    /// </summary>
    private static readonly string[] LogLoadingMarkers =
    [
        "Recovering unflushed segment", "Completed load of log", "rebuilding index", "Loading producer state", "Recovering segment", "Loading logs",
    ];

    /// <summary>Waits for a whole cluster, restarting brokers that are running but did not rejoin.</summary>
    public static async Task<RecoveryOutcome> WaitAsync(ClusterAccess cluster, string topic, TimeProvider time, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(log);
        var brokers = cluster.Brokers;
        bool Whole(ClusterTopology t) => t.IsWhole(brokers.Brokers.Count);
        var started = time.GetUtcNow();
        var (whole, topology) = await PollAsync(cluster.Topology, topic, Whole, RejoinTimeout, time, cancellationToken);
        var restarted = new List<int>();
        if (whole)
        {
            return new RecoveryOutcome(whole, topology, restarted, ControllerReelected: false);
        }

        (whole, topology) = await WaitWhileLoadingLogsAsync(cluster, topic, topology, Whole, time, log, cancellationToken);
        if (whole)
        {
            return new RecoveryOutcome(whole, topology, restarted, ControllerReelected: false);
        }

        foreach (var broker in brokers.Brokers.Where(b => !topology.Brokers.Contains(b.Id)))
        {
            if (!await brokers.IsRunningAsync(broker, cancellationToken))
            {
                continue;
            }

            log($"{broker.Target} is running but has not rejoined the cluster {RejoinTimeout.TotalSeconds:0} s after the heal; restarting it");
            await brokers.StopAsync(broker, TimeSpan.FromSeconds(10), cancellationToken);
            await brokers.StartAsync(broker, cancellationToken);
            restarted.Add(broker.Id);
        }

        // Restarted brokers, and brokers another fault still holds down, must come back for clients too.
        await WaitUntilAnnouncedAsync(cluster.Topology, brokers.Brokers.Select(b => b.Id).ToArray(), time, cancellationToken);
        (whole, topology) = await PollAsync(cluster.Topology, topic, Whole, HealTimeout, time, cancellationToken);
        if (whole || !topology.OnlyReplicasLag(brokers.Brokers.Count) || await HeldByAnotherFaultAsync(cluster, log, cancellationToken))
        {
            return new RecoveryOutcome(whole, topology, restarted, ControllerReelected: false);
        }

        // Every broker is registered and every partition led, and still some replica has not rejoined its ISR
        // for minutes: a controller that missed a broker coming back never told it what to replicate. A new
        // controller does; followers that were merely slow ignore what it sends them.
        log($"every broker is registered but replicas are still out of sync {(time.GetUtcNow() - started).TotalSeconds:0} s after the heal ({topology}); re-electing the controller");
        if (!await cluster.Topology.ReelectControllerAsync(cancellationToken))
        {
            return new RecoveryOutcome(whole, topology, restarted, ControllerReelected: false);
        }

        (whole, topology) = await PollAsync(cluster.Topology, topic, Whole, HealTimeout, time, cancellationToken);
        return new RecoveryOutcome(whole, topology, restarted, ControllerReelected: true);
    }

    /// <summary>
    /// Waits, up to <see cref="LogLoadingLimit"/>, while some broker that has not rejoined is still loading
    /// its logs. A loading broker writes a line per segment; one whose last lines stop changing is stuck.
    /// </summary>
    private static async Task<(bool Whole, ClusterTopology Topology)> WaitWhileLoadingLogsAsync(ClusterAccess cluster, string topic, ClusterTopology topology,
        Func<ClusterTopology, bool> isWhole, TimeProvider time, Action<string> log, CancellationToken cancellationToken)
    {
        var loadingSince = time.GetUtcNow();
        var tails = new Dictionary<int, (string Tail, DateTimeOffset ChangedAt)>();
        var told = new HashSet<int>();
        while (true)
        {
            var loading = new List<BrokerNode>();
            foreach (var broker in cluster.Brokers.Brokers.Where(b => !topology.Brokers.Contains(b.Id)))
            {
                if (!await cluster.Brokers.IsRunningAsync(broker, cancellationToken))
                {
                    continue;
                }

                var lines = await cluster.Brokers.LogTailAsync(broker, 5, cancellationToken);
                var tail = string.Join('\n', lines);
                var now = time.GetUtcNow();
                if (!tails.TryGetValue(broker.Id, out var seen) || seen.Tail != tail)
                {
                    tails[broker.Id] = seen = (tail, now);
                }

                if (IsLoadingLogs(lines) && now - seen.ChangedAt < LogLoadingStall)
                {
                    loading.Add(broker);
                }
            }

            if (loading.Count == 0 || time.GetUtcNow() - loadingSince > LogLoadingLimit)
            {
                return (false, topology);
            }

            foreach (var broker in loading.Where(b => told.Add(b.Id)))
            {
                log($"{broker.Target} has not rejoined the cluster {RejoinTimeout.TotalSeconds:0} s after the heal, but is still loading its logs after an unclean shutdown; waiting for it");
            }

            var (whole, latest) = await PollAsync(cluster.Topology, topic, isWhole, TimeSpan.FromSeconds(10), time, cancellationToken);
            topology = latest;
            if (whole)
            {
                return (true, topology);
            }
        }
    }

    /// <summary>True when a broker's last log lines are the ones it writes while loading its logs at startup.</summary>
    public static bool IsLoadingLogs(IReadOnlyList<string> lastLines)
    {
        ArgumentNullException.ThrowIfNull(lastLines);
        return lastLines.Count > 0 && !lastLines[^1].Contains("started", StringComparison.OrdinalIgnoreCase)
            && lastLines.Any(line => LogLoadingMarkers.Any(marker => line.Contains(marker, StringComparison.Ordinal)));
    }

    /// <summary>
    /// Whether a fault that overlaps this one still holds a broker paused, stopped or behind network rules.
    /// That explains lagging replicas, and a new controller would only change what that fault is doing.
    /// </summary>
    private static async Task<bool> HeldByAnotherFaultAsync(ClusterAccess cluster, Action<string> log, CancellationToken cancellationToken)
    {
        foreach (var broker in cluster.Brokers.Brokers)
        {
            var held = !await cluster.Brokers.IsRunningAsync(broker, cancellationToken) ? "paused or stopped"
                : await NetworkRules.LeftoversAsync(cluster.Network, broker, cancellationToken) is { Length: > 0 } rules ? $"behind network rules ({rules})"
                : null;
            if (held is not null)
            {
                log($"replicas are still out of sync, but another fault holds {broker.Target} {held}; leaving the controller alone");
                return true;
            }
        }

        return false;
    }

    /// <summary>Polls the topology until <paramref name="condition"/> holds or <paramref name="timeout"/> passes.</summary>
    public static Task<(bool Met, ClusterTopology Topology)> PollAsync(ITopologySource topology, string topic, Func<ClusterTopology, bool> condition,
        TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        topology.PollAsync(topic, condition, timeout, time, cancellationToken);

    /// <summary>Waits, up to <see cref="HealTimeout"/>, until clients are told of every one of <paramref name="brokerIds"/>.</summary>
    private static async Task WaitUntilAnnouncedAsync(ITopologySource topology, IReadOnlyCollection<int> brokerIds, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + HealTimeout;
        IReadOnlyList<int> seen = [];
        while (time.GetUtcNow() < deadline)
        {
            seen = await topology.AnnouncedBrokersAsync(cancellationToken);
            if (brokerIds.All(seen.Contains))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
        }

        throw new InfrastructureException(
            $"brokers [{string.Join(',', brokerIds)}] were not all back in the cluster's metadata {HealTimeout.TotalSeconds:0} s after their restart (seen: [{string.Join(',', seen)}]); broker logs are in the run directory");
    }
}
