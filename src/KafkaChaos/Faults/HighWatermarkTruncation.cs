using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// The high-watermark truncation of KIP-101: a follower made to follow a new leader truncates its log to
/// its own high watermark, which trails the old leader's by a fetch round, so it drops writes the old
/// leader had acknowledged to acks=all producers. If that follower is elected before it fetches them
/// again, they are gone, though it was in the ISR all along and the election was clean.
/// </summary>
/// <remarks>
/// Kafka before 0.11 truncates to the high watermark; from 0.11 it asks the leader for the end of its
/// epoch instead, and the same fault loses nothing. The fault keeps the two followers of a partition from
/// fetching from each other (only their own outgoing connections to each other's broker port are dropped,
/// so a controller among them still reaches the other), SIGKILLs the leader, waits until one follower
/// leads and the other follows it (and truncates), then SIGKILLs the new leader within
/// replica.lag.time.max.ms, while the truncated follower is still in the ISR. Verified by that follower
/// leading. Whether anything was lost is the checker's to say; it is a race of the last fetch round.
/// </remarks>
public sealed class HighWatermarkTruncation(FaultContext context, int partition)
    : BrokerFault(context)
{
    private readonly List<BrokerNode> _killed = [];
    private BrokerNode[] _followers = [];

    public override string Name => FaultKinds.TruncateToHighWatermark;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var (leader, before) = await LeaderAsync(partition, cancellationToken);
        if (leader is null)
        {
            return;
        }

        _followers = before.Partition(partition)!.InSyncReplicas.Where(id => id != leader.Id).Select(Control.Broker).ToArray();
        if (_followers.Length < 2)
        {
            Record(FaultPhase.NotApplied, leader.Target, $"{Topic}/{partition} needs two followers in the ISR, one to lead and one to truncate; before: {before}");
            Log($"not applied: fewer than two followers of {Topic}/{partition} in the ISR");
            return;
        }

        var target = $"{Topic}/{partition}";
        Record(FaultPhase.Start, target,
            $"followers {string.Join(",", _followers.Select(f => f.Id))} stop fetching from each other; SIGKILL leader {leader.Id}, then the follower it elects; before: {before}");
        Log($"followers {string.Join(",", _followers.Select(f => f.Id))} of {target} cut from each other; SIGKILL leader {leader.Id}");
        Applied = true;
        foreach (var follower in _followers)
        {
            await NetworkRules.DropConnectionsToAsync(Network, follower, _followers.Where(f => f.Id != follower.Id).Select(f => f.IpAddress),
                ZooKeeperBrokerConfig.ClientPort, cancellationToken);
        }

        await Control.KillAsync(leader, "KILL", cancellationToken);
        _killed.Add(leader);
        var followerIds = _followers.Select(f => f.Id).ToArray();
        var (elected, afterFirst) = await WaitForTopologyAsync(t => t.Partition(partition)?.Leader is { } l && followerIds.Contains(l), EffectTimeout, cancellationToken);
        if (!elected)
        {
            Verify(false, target, "", $"no follower of {target} was elected within {EffectTimeout.TotalSeconds:0} s of killing leader {leader.Id}: {afterFirst}");
            return;
        }

        var second = Control.Broker(afterFirst.Partition(partition)!.Leader);
        var truncated = afterFirst.Partition(partition)!.InSyncReplicas.Where(id => id != second.Id && followerIds.Contains(id)).ToArray();
        if (truncated.Length == 0)
        {
            Verify(false, target, "", $"broker {second.Id} leads {target}, but no other follower is in its ISR to be elected after it: {afterFirst}");
            return;
        }

        // The follower truncated when it took the new leader's LeaderAndIsr, before any fetch it cannot make.
        Log($"broker {second.Id} leads {target}; followers {string.Join(",", truncated)} truncated and cannot fetch from it; SIGKILL it");
        await Control.KillAsync(second, "KILL", cancellationToken);
        _killed.Add(second);
        var (moved, after) = await WaitForTopologyAsync(t => t.Partition(partition)?.Leader is { } l && truncated.Contains(l), EffectTimeout, cancellationToken);
        Verify(moved, target,
            $"leader of {target} moved {leader.Id} -> {second.Id} -> {after.Partition(partition)?.Leader}, each time to a replica in the ISR, the last one without fetching from the second; after: {after}",
            $"no truncated follower ({string.Join(",", truncated)}) leads {target} within {EffectTimeout.TotalSeconds:0} s of killing broker {second.Id}: {after}");
    }

    /// <summary>
    /// Starts the killed brokers. A 0.9 broker whose log, truncated to its own high watermark, still ends
    /// beyond the elected leader's halts rather than truncate further while unclean election is off
    /// ("Halting because log truncation is not allowed"): this fault's loss, seen from the other side. As
    /// an operator would, the heal then allows truncation on the topic until that broker is back in the
    /// ISR, and says so.
    /// </summary>
    protected override async Task<string> UndoAsync(CancellationToken cancellationToken)
    {
        foreach (var follower in _followers.Where(f => !_killed.Contains(f)))
        {
            await NetworkRules.ClearAsync(Network, follower, cancellationToken);
        }

        foreach (var broker in _killed)
        {
            await Control.StartAsync(broker, cancellationToken);
        }

        var halted = await HaltedAsync(cancellationToken);
        if (halted.Count == 0)
        {
            return $"{Topic}/{partition}";
        }

        const string uncleanKey = "unclean.leader.election.enable";
        Log($"broker(s) {string.Join(",", halted.Select(b => b.Id))} halted rather than truncate below the new leader's log end; allowing truncation on {Topic} until they rejoin");
        await Topics.SetTopicConfigAsync(Topic, uncleanKey, "true", cancellationToken);
        try
        {
            foreach (var broker in halted)
            {
                await Control.StartAsync(broker, cancellationToken);
            }

            var ids = halted.Select(b => b.Id).ToArray();
            await WaitForTopologyAsync(t => t.Partition(partition)?.InSyncReplicas is { } isr && ids.All(isr.Contains), ClusterRecovery.HealTimeout, cancellationToken);
        }
        finally
        {
            await Topics.SetTopicConfigAsync(Topic, uncleanKey, null, CancellationToken.None);
        }

        return $"{Topic}/{partition} (broker(s) {string.Join(",", halted.Select(b => b.Id))} halted on restart: their logs, truncated to their high watermark, "
            + $"still ended beyond the new leader's, and Kafka would not truncate them further with unclean election off; {uncleanKey}=true was set on the topic until they were back in the ISR)";
    }

    /// <summary>The restarted brokers that exited within 30 s with the halt message in their log.</summary>
    private async Task<List<BrokerNode>> HaltedAsync(CancellationToken cancellationToken)
    {
        var halted = new List<BrokerNode>();
        var deadline = Time.Deadline(TimeSpan.FromSeconds(30));
        while (Time.Before(deadline) && halted.Count < _killed.Count)
        {
            foreach (var broker in _killed.Where(b => !halted.Contains(b)))
            {
                if (!await Control.IsRunningAsync(broker, cancellationToken)
                    && (await Control.LogTailAsync(broker, 50, cancellationToken)).Any(l => l.Contains("Halting because log truncation is not allowed", StringComparison.Ordinal)))
                {
                    halted.Add(broker);
                }
            }

            var topology = await Topology.TopologyAsync(Topic, cancellationToken);
            if (_killed.All(b => topology.Partition(partition)?.InSyncReplicas.Contains(b.Id) == true))
            {
                break; // every restarted broker is back in the ISR: none will halt now
            }

            await Task.Delay(TimeSpan.FromSeconds(1), Time, cancellationToken);
        }

        return halted;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.TruncateToHighWatermark;

        public override IReadOnlyList<string> Options => [FaultOptionKeys.Partition];

        public override string? Problem(FaultSpec fault, int brokers, int partitions, int replicationFactor) =>
            replicationFactor < 3
                ? $"{Name} needs a replication factor of at least 3: two followers, one to lead after the first kill and one to lead after the second (it is {replicationFactor})"
                : null;

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new HighWatermarkTruncation(context, context.Partition(fault));
    }
}
