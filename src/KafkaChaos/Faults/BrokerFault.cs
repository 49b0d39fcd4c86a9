using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// A fault acting on brokers. Its heal undoes the fault and then waits for a whole cluster
/// (<see cref="ClusterRecovery"/>), and the heal's evidence says whether it got one.
/// </summary>
public abstract class BrokerFault(FaultContext context) : Fault(context)
{
    protected static readonly TimeSpan EffectTimeout = TimeSpan.FromSeconds(60);

    private readonly ClusterAccess _cluster = context.Cluster ?? throw new InvalidOperationException("a broker fault needs a cluster whose brokers this tool can reach");

    /// <summary>The broker processes.</summary>
    protected IBrokerControl Control => _cluster.Brokers;

    protected ITopologySource Topology => _cluster.Topology;

    protected ITopicAdmin Topics => _cluster.Topics;

    protected IClusterNetwork Network => _cluster.Network;

    protected string Topic => Context.Topic;

    /// <summary>Whether there is something to undo.</summary>
    protected bool Applied { get; set; }

    public sealed override async Task HealAsync(CancellationToken cancellationToken)
    {
        if (!Applied)
        {
            return;
        }

        var target = await UndoAsync(cancellationToken);
        var undoneAt = Time.Millis(); // the fault ends here; waiting for the cluster to recover is not part of it
        Applied = false;
        var recovery = await ClusterRecovery.WaitAsync(_cluster, Topic, Time, Log, cancellationToken);
        var seconds = (Time.Millis() - undoneAt) / 1000.0;
        var repairs = recovery.DescribeRepairs();
        Record(FaultPhase.End, target, recovery.Whole ? $"healed; all brokers up and all replicas in sync {seconds:0.#} s later{repairs}: {recovery.Topology}"
            : $"healed, but replicas were still out of sync {seconds:0} s later{repairs}: {recovery.Topology}", undoneAt);
        Log(recovery.Whole ? $"{target} healed, all replicas in sync" : $"{target} healed, replicas still out of sync");
    }

    /// <summary>Undoes the fault.</summary>
    /// <returns>The target, for the journal.</returns>
    protected abstract Task<string> UndoAsync(CancellationToken cancellationToken);

    /// <summary>Polls the topology until <paramref name="condition"/> holds or <paramref name="timeout"/> passes.</summary>
    protected Task<(bool Met, ClusterTopology Topology)> WaitForTopologyAsync(Func<ClusterTopology, bool> condition, TimeSpan timeout, CancellationToken cancellationToken) =>
        ClusterRecovery.PollAsync(Topology, Topic, condition, timeout, Time, cancellationToken);

    /// <summary>The leader of <paramref name="partition"/> now, or null (recorded as not applied) when it has none.</summary>
    protected async Task<(BrokerNode? Leader, ClusterTopology Before)> LeaderAsync(int partition, CancellationToken cancellationToken)
    {
        var before = await Topology.TopologyAsync(Topic, cancellationToken);
        var leader = before.Partition(partition)?.Leader ?? -1;
        if (leader < 0)
        {
            Record(FaultPhase.NotApplied, $"partition {partition}", $"{Topic}/{partition} has no leader; topology: {before}");
            Log($"not applied: {Topic}/{partition} has no leader");
            return (null, before);
        }

        return (Control.Broker(leader), before);
    }

    /// <summary>Records the outcome of the effect check.</summary>
    protected void Verify(bool met, string target, string evidence, string failure)
    {
        Verified = met;
        Record(met ? FaultPhase.Verified : FaultPhase.NotApplied, target, met ? evidence : failure);
        Log(met ? evidence : $"not applied: {failure}");
    }
}
