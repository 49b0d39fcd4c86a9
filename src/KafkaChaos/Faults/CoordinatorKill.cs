using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// SIGKILLs the broker that coordinates the run's consumer group, as the group's own clients find it: a
/// FindCoordinator request to a live broker. Where no broker answers it, the leader of the __consumer_offsets
/// partition the group id hashes to, as the brokers compute it; the journal says which. Commits and
/// rebalances go through the coordinator, so its failover is where committed offsets are at risk. Verified
/// by that partition getting another leader, the group's new coordinator. Healing starts the broker again.
/// </summary>
public sealed class CoordinatorKill(FaultContext context, string groupId) : RoleKill(context)
{
    private const string OffsetsTopic = "__consumer_offsets";

    public override string Name => FaultKinds.KillCoordinator;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var offsets = await Topology.TopologyAsync(OffsetsTopic, cancellationToken);
        var partition = offsets.Partitions.Count > 0 ? OffsetsPartition(groupId, offsets.Partitions.Count) : -1;
        var hashed = offsets.Partition(partition)?.Leader ?? -1;
        var asked = await FindCoordinatorAsync(except: null, cancellationToken);
        var leader = asked?.NodeId ?? hashed;
        var source = asked is { } found
            ? $"FindCoordinator asked of broker {found.AskedOf} names broker {found.NodeId} ({found.Host}:{found.Port}); the leader of {OffsetsTopic}/{partition}, which the group id hashes to, is {hashed}"
            : $"no broker answered FindCoordinator: the leader of {OffsetsTopic}/{partition}, which the group id hashes to";
        if (leader < 0 || Control.Brokers.All(b => b.Id != leader))
        {
            Record(FaultPhase.NotApplied, "coordinator", $"no coordinator for group {groupId} ({source}); topology: {offsets}");
            Log($"not applied: no coordinator for group {groupId}");
            return;
        }

        var coordinator = Control.Broker(leader);
        await KillAsync(coordinator, $"coordinator of group {groupId}",
            $"SIGKILL the coordinator of group {groupId}, broker {leader}: {source}; before: {offsets}", cancellationToken);
        var (moved, after) = await ClusterRecovery.PollAsync(Topology, OffsetsTopic, t => t.Partition(partition)?.Leader is { } l && l >= 0 && l != coordinator.Id,
            EffectTimeout, Time, cancellationToken);
        var now = moved ? await FindCoordinatorAsync(except: coordinator.Id, cancellationToken) : null;
        Verify(moved, coordinator.Target, $"group {groupId}'s coordinator moved {coordinator.Id} -> {after.Partition(partition)?.Leader} ({OffsetsTopic}/{partition})"
            + (now is { } answer ? $"; FindCoordinator now names broker {answer.NodeId}" : ""),
            $"{OffsetsTopic}/{partition} got no other leader within {EffectTimeout.TotalSeconds:0} s: {after}");
    }

    /// <summary>The group's coordinator as the first running broker (other than <paramref name="except"/>) that answers FindCoordinator names it.</summary>
    private async Task<(int AskedOf, int NodeId, string Host, int Port)?> FindCoordinatorAsync(int? except, CancellationToken cancellationToken)
    {
        if (Context.Version is not { } version)
        {
            return null;
        }

        foreach (var broker in Control.Brokers.Where(b => b.Id != except))
        {
            if (await Control.IsRunningAsync(broker, cancellationToken)
                && await FindCoordinatorProbe.AskAsync(broker.IpAddress, ZooKeeperBrokerConfig.ClientPort, groupId, version, cancellationToken) is { } found)
            {
                return (broker.Id, found.NodeId, found.Host, found.Port);
            }
        }

        return null;
    }

    /// <summary>
    /// The __consumer_offsets partition that holds a group's offsets, as the brokers compute it
    /// (GroupMetadataManager.partitionFor): the absolute value of the group id's Java String.hashCode, 0 for
    /// Integer.MIN_VALUE (Utils.abs), modulo the partitions.
    /// </summary>
    public static int OffsetsPartition(string groupId, int partitions)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        var hash = 0;
        foreach (var c in groupId)
        {
            hash = unchecked((31 * hash) + c);
        }

        return (hash == int.MinValue ? 0 : Math.Abs(hash)) % partitions;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.KillCoordinator;

        public override string? Problem(FaultSpec fault, int brokers, int partitions, int replicationFactor) => NeedsTwoBrokers(brokers);

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new CoordinatorKill(context, context.ConsumerGroupId ?? throw new InvalidOperationException($"{Name} needs the run's consumer group"));
    }
}
