using System.Globalization;
using KafkaChaos.Cluster;

namespace KafkaChaos.Faults;

/// <summary>
/// The network faults' rules inside a broker container: iptables drops (all, per peer, or at random) in
/// two chains of the tool's own (KAFKA_CHAOS_IN from INPUT, KAFKA_CHAOS_OUT from OUTPUT), and a tc
/// netem qdisc on eth0 for delay.
/// </summary>
/// <remarks>
/// Every command is run as an argument list, never through a shell, and every address comes from the
/// cluster itself. Clearing flushes both chains and deletes the qdisc, so healing never depends on
/// remembering which rules were added; <see cref="LeftoversAsync"/> is how heals and tests prove it.
/// </remarks>
public static class NetworkRules
{
    public const string InChain = "KAFKA_CHAOS_IN";
    public const string OutChain = "KAFKA_CHAOS_OUT";
    private const string Interface = "eth0";

    /// <summary>Drops all traffic between the broker and each of <paramref name="peers"/>, both ways.</summary>
    public static async Task DropPeersAsync(KafkaCluster cluster, BrokerNode broker, IEnumerable<string> peers, CancellationToken cancellationToken)
    {
        await EnsureChainsAsync(cluster, broker, cancellationToken);
        foreach (var peer in peers)
        {
            await RunAsync(cluster, broker, ["iptables", "-A", InChain, "-s", peer, "-j", "DROP"], cancellationToken);
            await RunAsync(cluster, broker, ["iptables", "-A", OutChain, "-d", peer, "-j", "DROP"], cancellationToken);
        }
    }

    /// <summary>
    /// Drops the broker's own outgoing TCP to <paramref name="port"/> on each of <paramref name="peers"/>:
    /// it cannot open (or keep) a connection to them, while connections they open to it still work.
    /// </summary>
    public static async Task DropConnectionsToAsync(KafkaCluster cluster, BrokerNode broker, IEnumerable<string> peers, int port, CancellationToken cancellationToken)
    {
        await EnsureChainsAsync(cluster, broker, cancellationToken);
        foreach (var peer in peers)
        {
            await RunAsync(cluster, broker, ["iptables", "-A", OutChain, "-p", "tcp", "-d", peer, "--dport", port.ToString(CultureInfo.InvariantCulture), "-j", "DROP"],
                cancellationToken);
        }
    }

    /// <summary>Drops everything on the broker's network interface: peers, ZooKeeper and clients alike.</summary>
    public static async Task DropAllAsync(KafkaCluster cluster, BrokerNode broker, CancellationToken cancellationToken)
    {
        await EnsureChainsAsync(cluster, broker, cancellationToken);
        await RunAsync(cluster, broker, ["iptables", "-A", InChain, "-i", Interface, "-j", "DROP"], cancellationToken);
        await RunAsync(cluster, broker, ["iptables", "-A", OutChain, "-o", Interface, "-j", "DROP"], cancellationToken);
    }

    /// <summary>Delays outgoing packets on the broker's interface with a netem qdisc.</summary>
    /// <returns>False when the kernel has no netem (the qdisc kind is unknown): nothing was changed.</returns>
    public static async Task<bool> DelayAsync(KafkaCluster cluster, BrokerNode broker, int delayMs, int jitterMs, CancellationToken cancellationToken)
    {
        var command = new List<string> { "tc", "qdisc", "replace", "dev", Interface, "root", "netem", "delay", $"{delayMs}ms" };
        if (jitterMs > 0)
        {
            command.Add($"{jitterMs}ms");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var (exit, output) = await cluster.ExecAsync(broker, command, CancellationToken.None); // see RunAsync
        if (exit != 0 && output.Contains("qdisc kind is unknown", StringComparison.Ordinal))
        {
            return false;
        }

        if (exit != 0)
        {
            throw new InfrastructureException($"{broker.Target}: '{string.Join(' ', command)}' failed with exit code {exit}: {output.Trim()}");
        }

        return true;
    }

    /// <summary>
    /// Drops outgoing packets at random with iptables' statistic match, after a rule that only counts,
    /// so the evidence can say how many of how many were dropped. Needs no netem.
    /// </summary>
    public static async Task DropRandomlyAsync(KafkaCluster cluster, BrokerNode broker, double lossPercent, CancellationToken cancellationToken)
    {
        await EnsureChainsAsync(cluster, broker, cancellationToken);
        var probability = (lossPercent / 100).ToString("0.#####", CultureInfo.InvariantCulture);
        await RunAsync(cluster, broker, ["iptables", "-A", OutChain, "-o", Interface], cancellationToken);
        await RunAsync(cluster, broker, ["iptables", "-A", OutChain, "-o", Interface, "-m", "statistic", "--mode", "random", "--probability", probability, "-j", "DROP"], cancellationToken);
    }

    /// <summary>Packets counted by the out chain's first rule, and dropped by its last.</summary>
    public static async Task<(long Seen, long Dropped)> OutCountersAsync(KafkaCluster cluster, BrokerNode broker, CancellationToken cancellationToken)
    {
        var (_, output) = await cluster.ExecAsync(broker, ["iptables", "-L", OutChain, "-v", "-x", "-n"], cancellationToken);
        var counters = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(2)
            .Select(line => long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture, out var packets) ? packets : 0)
            .ToArray();
        return counters.Length >= 2 ? (counters[0], counters[^1]) : (0, 0);
    }

    /// <summary>Removes every rule and qdisc the tool may have added. Safe to call on a clean broker.</summary>
    public static async Task ClearAsync(KafkaCluster cluster, BrokerNode broker, CancellationToken cancellationToken)
    {
        await cluster.ExecAsync(broker, ["iptables", "-F", InChain], cancellationToken);
        await cluster.ExecAsync(broker, ["iptables", "-F", OutChain], cancellationToken);
        await cluster.ExecAsync(broker, ["tc", "qdisc", "del", "dev", Interface, "root"], cancellationToken);
    }

    /// <summary>The tool's rules and qdisc still in place on the broker, as text; empty when there are none.</summary>
    public static async Task<string> LeftoversAsync(KafkaCluster cluster, BrokerNode broker, CancellationToken cancellationToken)
    {
        var leftovers = new List<string>();
        foreach (var chain in new[] { InChain, OutChain })
        {
            var (exit, output) = await cluster.ExecAsync(broker, ["iptables", "-S", chain], cancellationToken);
            if (exit == 0)
            {
                leftovers.AddRange(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Where(line => line.StartsWith("-A ", StringComparison.Ordinal)));
            }
        }

        var (_, qdisc) = await cluster.ExecAsync(broker, ["tc", "qdisc", "show", "dev", Interface], cancellationToken);
        leftovers.AddRange(qdisc.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains("netem", StringComparison.Ordinal)));
        return string.Join("; ", leftovers);
    }

    /// <summary>The netem qdisc as the kernel reports it, for evidence.</summary>
    public static async Task<string> QdiscAsync(KafkaCluster cluster, BrokerNode broker, CancellationToken cancellationToken) =>
        (await cluster.ExecAsync(broker, ["tc", "qdisc", "show", "dev", Interface], cancellationToken)).Output.Trim();

    private static async Task EnsureChainsAsync(KafkaCluster cluster, BrokerNode broker, CancellationToken cancellationToken)
    {
        foreach (var (chain, hook) in new[] { (InChain, "INPUT"), (OutChain, "OUTPUT") })
        {
            cancellationToken.ThrowIfCancellationRequested();
            await cluster.ExecAsync(broker, ["iptables", "-N", chain], CancellationToken.None); // fails harmlessly when it exists; see RunAsync
            if ((await cluster.ExecAsync(broker, ["iptables", "-C", hook, "-j", chain], cancellationToken)).ExitCode != 0)
            {
                await RunAsync(cluster, broker, ["iptables", "-I", hook, "-j", chain], cancellationToken);
            }
        }
    }

    /// <summary>
    /// Runs a command that changes the broker's rules. Cancellation is checked before it starts, never
    /// while it runs: cancelling only stops waiting for the exec, and the rule would then land after
    /// the final heal had cleared the broker (seen on a Ctrl-C that left a net-loss DROP rule behind).
    /// </summary>
    private static async Task RunAsync(KafkaCluster cluster, BrokerNode broker, IList<string> command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (exit, output) = await cluster.ExecAsync(broker, command, CancellationToken.None);
        if (exit != 0)
        {
            throw new InfrastructureException($"{broker.Target}: '{string.Join(' ', command)}' failed with exit code {exit}: {output.Trim()}");
        }
    }
}
