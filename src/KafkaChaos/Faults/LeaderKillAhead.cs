using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// Opens the acks=1 window on purpose: cuts a partition's leader off from the other brokers (ZooKeeper
/// and clients still reach it) for a lag shorter than replica.lag.time.max.ms, so the followers stop
/// copying but stay in the ISR, then SIGKILLs the leader. A follower is elected cleanly without what the
/// leader acknowledged during the lag.
/// </summary>
/// <remarks>
/// A plain kill-leader leaves almost no such window: followers fetch continuously, so the leader dies
/// with at most one fetch round of writes they lack (acks=1 lost nothing in most runs of it). Verified by
/// the followers still being in the ISR just before the kill and one of them leading after it. With
/// acks=all the leader cannot acknowledge anything during the lag, which is the other half of the claim.
/// </remarks>
public sealed class LeaderKillAhead(FaultContext context, int partition, TimeSpan lag)
    : BrokerFault(context)
{
    /// <summary>The longest lag: the followers must still be in the ISR when the leader dies, which no broker's replica.lag.time.max.ms keeps past a minute.</summary>
    public static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(60);

    private BrokerNode? _killed;

    public override string Name => FaultKinds.KillLeaderAhead;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var (leader, before) = await LeaderAsync(partition, cancellationToken);
        if (leader is null)
        {
            return;
        }

        var followers = before.Partition(partition)!.InSyncReplicas.Where(id => id != leader.Id).ToArray();
        if (followers.Length == 0)
        {
            Record(FaultPhase.NotApplied, leader.Target, $"no follower of {Topic}/{partition} is in the ISR, so none could lag behind and be elected; before: {before}");
            Log($"not applied: no follower of {Topic}/{partition} in the ISR");
            return;
        }

        var peers = Control.Brokers.Where(b => b.Id != leader.Id).Select(b => b.IpAddress).ToArray();
        Record(FaultPhase.Start, leader.Target,
            $"cut leader of {Topic}/{partition} off from the other brokers for {lag.TotalSeconds:0.###} s (followers {string.Join(",", followers)} stop copying), then SIGKILL it; before: {before}");
        Log($"cut {leader.Target}, leader of {Topic}/{partition}, off from its followers for {lag.TotalSeconds:0.###} s, then SIGKILL it");
        Applied = true;
        _killed = leader;
        await NetworkRules.DropPeersAsync(Network, leader, peers, cancellationToken);
        await Task.Delay(lag, Time, cancellationToken);

        var atKill = await Topology.TopologyAsync(Topic, cancellationToken);
        var inSync = atKill.Partition(partition)?.InSyncReplicas ?? [];
        await Control.KillAsync(leader, "KILL", cancellationToken);
        var stillInSync = followers.Where(inSync.Contains).ToArray();
        if (atKill.Partition(partition)?.Leader != leader.Id || stillInSync.Length == 0)
        {
            Verify(false, leader.Target, "", $"after {lag.TotalSeconds:0.###} s of lag the leader had moved or its followers had left the ISR before the kill, so the window was not the acks=1 one: {atKill}");
            return;
        }

        var (moved, after) = await WaitForTopologyAsync(t => t.Partition(partition)?.Leader is { } l && stillInSync.Contains(l), EffectTimeout, cancellationToken);
        Verify(moved, leader.Target,
            $"followers {string.Join(",", stillInSync)} still in the ISR after {lag.TotalSeconds:0.###} s without copying; leader of {Topic}/{partition} moved {leader.Id} -> {after.Partition(partition)?.Leader} by a clean election; after: {after}",
            $"no follower that was in the ISR at the kill leads {Topic}/{partition} within {EffectTimeout.TotalSeconds:0} s: {after}");
    }

    /// <summary>The kill took the rules with the container's network namespace; starting it is the whole undo.</summary>
    protected override async Task<string> UndoAsync(CancellationToken cancellationToken)
    {
        if (await Control.IsRunningAsync(_killed!, cancellationToken))
        {
            await NetworkRules.ClearAsync(Network, _killed!, cancellationToken); // cancelled before the kill
        }
        else
        {
            await Control.StartAsync(_killed!, cancellationToken);
        }

        return _killed!.Target;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.KillLeaderAhead;

        public override IReadOnlyList<string> Options => [FaultOptionKeys.Partition, FaultOptionKeys.Lag];

        public override string? Problem(FaultSpec fault, int brokers, int partitions, int replicationFactor) =>
            NeedsAnotherReplica(replicationFactor)
            ?? (fault.Lag <= TimeSpan.Zero || fault.Lag > MaxLag ? $"lag {fault.Lag.TotalSeconds:0.###} s must be above 0 and at most {MaxLag.TotalSeconds:0} s"
            : null);

        public override string Parameters(FaultSpec fault) => $" after {fault.Lag.TotalSeconds:0.###} s of lag";

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new LeaderKillAhead(context, context.Partition(fault), fault.Lag);
    }
}
