using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// net-loss: drops a share of the brokers' outgoing packets at random (iptables statistic match, which
/// needs no netem). Verified by the rule's own counters: packets dropped out of packets sent, from the
/// replication and ZooKeeper traffic every broker keeps up.
/// </summary>
public sealed class NetworkLoss(FaultContext context, IReadOnlyList<BrokerNode> brokers, double lossPercent)
    : BrokerFault(context)
{
    private static readonly TimeSpan CountingTimeout = TimeSpan.FromSeconds(20);

    public override string Name => FaultKinds.NetLoss;

    private string Target => brokers.Count == Control.Brokers.Count ? "all brokers" : string.Join(", ", brokers.Select(b => b.Target));

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        Record(FaultPhase.Start, Target, $"drop {lossPercent}% of outgoing packets at random");
        Applied = true;
        foreach (var broker in brokers)
        {
            await NetworkRules.DropRandomlyAsync(Network, broker, lossPercent, cancellationToken);
        }

        var deadline = Time.GetUtcNow() + CountingTimeout;
        (long Seen, long Dropped) counters;
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(1), Time, cancellationToken);
            counters = await NetworkRules.OutCountersAsync(Network, brokers[0], cancellationToken);
        }
        while (counters.Dropped == 0 && Time.GetUtcNow() < deadline);

        var evidence = $"{brokers[0].Target}: {counters.Dropped} of {counters.Seen} outgoing packets dropped so far";
        Verify(counters.Dropped > 0, Target, evidence, $"no packet was dropped within {CountingTimeout.TotalSeconds:0} s: {evidence}");
    }

    protected override async Task<string> UndoAsync(CancellationToken cancellationToken)
    {
        foreach (var broker in brokers)
        {
            await NetworkRules.ClearAsync(Network, broker, cancellationToken);
        }

        return Target;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.NetLoss;

        public override IReadOnlyList<string> Options => [FaultOptionKeys.Broker, FaultOptionKeys.AllBrokers, FaultOptionKeys.LossPercent];

        public override string? Problem(FaultSpec fault, int brokers, int partitions, int replicationFactor) =>
            fault.LossPercent is > 0 and <= 100 ? null : $"loss {fault.LossPercent}% must be above 0 and at most 100";

        public override string Parameters(FaultSpec fault) => $" {fault.LossPercent}%";

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new NetworkLoss(context, context.Brokers(fault), fault.LossPercent);
    }
}
