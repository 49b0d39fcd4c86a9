using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// SIGKILLs the broker that leads a partition, found from live metadata at the moment of the fault,
/// then confirms that leadership moved. Healing starts the broker again and waits until it is back in
/// every ISR of the topic, so the final consume reads from a whole cluster.
/// </summary>
/// <remarks>
/// Every step is journalled: start (with the topology before), verified or not-applied (with the
/// topology after), end. A kill whose effect was never observed is recorded as not-applied, so the
/// cell cannot pass as "no loss under leader failover" when no failover happened.
/// </remarks>
public sealed class LeaderKill(KafkaCluster cluster, string topic, int partition, JournalWriter journal, TimeProvider time, Action<string> log)
    : Fault(journal, time, log)
{
    public const string FaultName = "kill-leader";
    private static readonly TimeSpan EffectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan HealTimeout = TimeSpan.FromSeconds(120);

    private BrokerNode? _killed;

    public override string Name => FaultName;

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var before = await cluster.TopologyAsync(topic, cancellationToken);
        var leader = before.Partition(partition)?.Leader ?? -1;
        if (leader < 0)
        {
            Record(FaultPhase.NotApplied, $"partition {partition}", $"partition {partition} has no leader to kill; topology: {before}");
            return;
        }

        var broker = cluster.Broker(leader);
        Record(FaultPhase.Start, broker.Target, $"SIGKILL leader of {topic}/{partition}; before: {before}");
        Log($"SIGKILL {broker.Target}, leader of {topic}/{partition}");
        await cluster.KillAsync(broker, "KILL", cancellationToken);
        _killed = broker;

        var deadline = Time.GetUtcNow() + EffectTimeout;
        while (Time.GetUtcNow() < deadline)
        {
            var after = await cluster.TopologyAsync(topic, cancellationToken);
            var newLeader = after.Partition(partition)?.Leader ?? -1;
            if (newLeader >= 0 && newLeader != leader)
            {
                Verified = true;
                Record(FaultPhase.Verified, broker.Target, $"leader of {topic}/{partition} moved {leader} -> {newLeader}; after: {after}");
                Log($"leadership of {topic}/{partition} moved from broker {leader} to broker {newLeader}");
                return;
            }

            await Task.Delay(250, cancellationToken);
        }

        Record(FaultPhase.NotApplied, broker.Target, $"leader of {topic}/{partition} did not move within {EffectTimeout.TotalSeconds:0} s");
    }

    /// <summary>Restarts the killed broker and waits until it is registered and back in every ISR.</summary>
    public override async Task HealAsync(CancellationToken cancellationToken)
    {
        if (_killed is not { } broker)
        {
            return;
        }

        await cluster.StartAsync(broker, cancellationToken);
        await cluster.WaitForBrokersAsync([broker.Id], HealTimeout, cancellationToken);
        var deadline = Time.GetUtcNow() + HealTimeout;
        ClusterTopology topology;
        do
        {
            topology = await cluster.TopologyAsync(topic, cancellationToken);
            if (topology.Partitions.Count > 0 && topology.Partitions.All(p => p.InSyncReplicas.Count == p.Replicas.Count))
            {
                Record(FaultPhase.End, broker.Target, $"restarted; all replicas in sync: {topology}");
                Log($"{broker.Target} restarted and back in sync");
                _killed = null;
                return;
            }

            await Task.Delay(500, cancellationToken);
        }
        while (Time.GetUtcNow() < deadline);

        Record(FaultPhase.End, broker.Target, $"restarted, but replicas were still out of sync after {HealTimeout.TotalSeconds:0} s: {topology}");
        _killed = null;
    }
}
