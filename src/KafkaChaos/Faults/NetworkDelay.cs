using System.Net.Sockets;
using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// net-delay: a tc netem qdisc delaying the brokers' outgoing packets. Verified by the kernel reporting
/// the qdisc and by a TCP connection from this host (whose SYN-ACK leaves through the delayed interface)
/// taking most of the delay. A kernel without netem cannot delay: the fault is then not applied.
/// </summary>
public sealed class NetworkDelay(FaultContext context, IReadOnlyList<BrokerNode> brokers, int delayMs, int jitterMs)
    : BrokerFault(context)
{
    public override string Name => FaultKinds.NetDelay;

    private string Target => brokers.Count == Control.Brokers.Count ? "all brokers" : string.Join(", ", brokers.Select(b => b.Target));

    public override async Task ApplyAsync(CancellationToken cancellationToken)
    {
        Record(FaultPhase.Start, Target, $"netem delay {delayMs} ms, jitter {jitterMs} ms, on outgoing packets");
        foreach (var broker in brokers)
        {
            if (!await NetworkRules.DelayAsync(Network, broker, delayMs, jitterMs, cancellationToken))
            {
                Applied = true; // brokers delayed before this one must still be healed
                Verify(false, Target, "", $"{broker.Target}: this kernel has no netem qdisc (CONFIG_NET_SCH_NETEM), so packets cannot be delayed here");
                return;
            }

            Applied = true;
        }

        var qdisc = await NetworkRules.QdiscAsync(Network, brokers[0], cancellationToken);
        var connectMs = await ConnectMillisAsync(brokers[0], cancellationToken);
        var evidence = $"{brokers[0].Target}: {qdisc}; a TCP connect from this host took {connectMs:0} ms";
        Verify(qdisc.Contains("netem", StringComparison.Ordinal) && connectMs >= (delayMs - jitterMs) * 0.8, Target, evidence,
            $"the delay was not observed: {evidence}");
    }

    protected override async Task<string> UndoAsync(CancellationToken cancellationToken)
    {
        foreach (var broker in brokers)
        {
            await NetworkRules.ClearAsync(Network, broker, cancellationToken);
        }

        return Target;
    }

    private static async Task<double> ConnectMillisAsync(BrokerNode broker, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = TimeProvider.System.Limit(TimeSpan.FromSeconds(10), cancellationToken);
        var watch = TimeProvider.System.GetTimestamp();
        await client.ConnectAsync(broker.IpAddress, ZooKeeperBrokerConfig.ClientPort, timeout.Token);
        return TimeProvider.System.GetElapsedTime(watch).TotalMilliseconds;
    }

    /// <summary>The fault's kind: its name, checks and construction.</summary>
    public sealed class Kind : FaultKind
    {
        public override string Name => FaultKinds.NetDelay;

        public override IReadOnlyList<string> Options => [FaultOptionKeys.Broker, FaultOptionKeys.AllBrokers, FaultOptionKeys.DelayMs, FaultOptionKeys.JitterMs];

        public override string? Problem(FaultSpec fault, int brokers, int partitions, int replicationFactor) =>
            fault.DelayMs is < 1 or > 60_000 || fault.JitterMs < 0 || fault.JitterMs > fault.DelayMs
                ? $"delay {fault.DelayMs} ms with jitter {fault.JitterMs} ms: delay must be 1..60000 ms and jitter 0..delay"
                : null;

        public override string Parameters(FaultSpec fault) => $" {fault.DelayMs}±{fault.JitterMs} ms";

        public override Fault Create(FaultSpec fault, FaultContext context) =>
            new NetworkDelay(context, context.Brokers(fault), fault.DelayMs, fault.JitterMs);
    }
}
