using System.Globalization;
using KafkaChaos.Cluster;

namespace KafkaChaos.Faults;

/// <summary>
/// The network faults' rules in a broker's network namespace: iptables drops (all, per peer, or at random) in
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
    public static async Task DropPeersAsync(IClusterNetwork network, BrokerNode broker, IEnumerable<string> peers, CancellationToken cancellationToken)
    {
        await EnsureChainsAsync(network, broker, cancellationToken);
        foreach (var peer in peers)
        {
            await RunAsync(network, broker, ["iptables", "-A", InChain, "-s", peer, "-j", "DROP"], cancellationToken);
            await RunAsync(network, broker, ["iptables", "-A", OutChain, "-d", peer, "-j", "DROP"], cancellationToken);
        }
    }

    /// <summary>
    /// Drops the broker's own outgoing TCP to <paramref name="port"/> on each of <paramref name="peers"/>:
    /// it cannot open (or keep) a connection to them, while connections they open to it still work.
    /// </summary>
    public static async Task DropConnectionsToAsync(IClusterNetwork network, BrokerNode broker, IEnumerable<string> peers, int port, CancellationToken cancellationToken)
    {
        await EnsureChainsAsync(network, broker, cancellationToken);
        foreach (var peer in peers)
        {
            await RunAsync(network, broker, ["iptables", "-A", OutChain, "-p", "tcp", "-d", peer, "--dport", port.ToString(CultureInfo.InvariantCulture), "-j", "DROP"],
                cancellationToken);
        }
    }

    /// <summary>Drops everything but loopback, on every interface (an attached broker may be on several networks): peers, ZooKeeper and clients alike.</summary>
    public static async Task DropAllAsync(IClusterNetwork network, BrokerNode broker, CancellationToken cancellationToken)
    {
        await EnsureChainsAsync(network, broker, cancellationToken);
        await RunAsync(network, broker, ["iptables", "-A", InChain, "!", "-i", "lo", "-j", "DROP"], cancellationToken);
        await RunAsync(network, broker, ["iptables", "-A", OutChain, "!", "-o", "lo", "-j", "DROP"], cancellationToken);
    }

    /// <summary>Delays outgoing packets on the broker's interface with a netem qdisc.</summary>
    /// <returns>False when the kernel has no netem (the qdisc kind is unknown): nothing was changed.</returns>
    public static async Task<bool> DelayAsync(IClusterNetwork network, BrokerNode broker, int delayMs, int jitterMs, CancellationToken cancellationToken)
    {
        var command = new List<string> { "tc", "qdisc", "replace", "dev", Interface, "root", "netem", "delay", $"{delayMs}ms" };
        if (jitterMs > 0)
        {
            command.Add($"{jitterMs}ms");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var (exit, output) = await network.RunAsync(broker, command, CancellationToken.None); // see RunAsync
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
    public static async Task DropRandomlyAsync(IClusterNetwork network, BrokerNode broker, double lossPercent, CancellationToken cancellationToken)
    {
        await EnsureChainsAsync(network, broker, cancellationToken);
        var probability = (lossPercent / 100).ToString("0.#####", CultureInfo.InvariantCulture);
        await RunAsync(network, broker, ["iptables", "-A", OutChain, "!", "-o", "lo"], cancellationToken);
        await RunAsync(network, broker, ["iptables", "-A", OutChain, "!", "-o", "lo", "-m", "statistic", "--mode", "random", "--probability", probability, "-j", "DROP"], cancellationToken);
    }

    /// <summary>Packets counted by the out chain's first rule, and dropped by its last.</summary>
    public static async Task<(long Seen, long Dropped)> OutCountersAsync(IClusterNetwork network, BrokerNode broker, CancellationToken cancellationToken)
    {
        var (_, output) = await network.RunAsync(broker, ["iptables", "-L", OutChain, "-v", "-x", "-n"], cancellationToken);
        var counters = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(2)
            .Select(line => long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture, out var packets) ? packets : 0)
            .ToArray();
        return counters.Length >= 2 ? (counters[0], counters[^1]) : (0, 0);
    }

    /// <summary>Removes every rule and qdisc the tool may have added. Safe to call on a clean broker.</summary>
    public static async Task ClearAsync(IClusterNetwork network, BrokerNode broker, CancellationToken cancellationToken)
    {
        await network.RunAsync(broker, ["iptables", "-F", InChain], cancellationToken);
        await network.RunAsync(broker, ["iptables", "-F", OutChain], cancellationToken);
        await network.RunAsync(broker, ["tc", "qdisc", "del", "dev", Interface, "root"], cancellationToken);
        await network.ReleaseAsync(broker, cancellationToken);
    }

    /// <summary>The tool's rules and qdisc still in place on the broker, as text; empty when there are none.</summary>
    public static async Task<string> LeftoversAsync(IClusterNetwork network, BrokerNode broker, CancellationToken cancellationToken)
    {
        var leftovers = new List<string>();
        foreach (var chain in new[] { InChain, OutChain })
        {
            var (exit, output) = await network.RunAsync(broker, ["iptables", "-S", chain], cancellationToken);
            if (exit == 0)
            {
                leftovers.AddRange(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Where(line => line.StartsWith("-A ", StringComparison.Ordinal)));
            }
        }

        var (_, qdisc) = await network.RunAsync(broker, ["tc", "qdisc", "show", "dev", Interface], cancellationToken);
        leftovers.AddRange(qdisc.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains("netem", StringComparison.Ordinal)));
        return string.Join("; ", leftovers);
    }

    /// <summary>The netem qdisc as the kernel reports it, for evidence.</summary>
    public static async Task<string> QdiscAsync(IClusterNetwork network, BrokerNode broker, CancellationToken cancellationToken) =>
        (await network.RunAsync(broker, ["tc", "qdisc", "show", "dev", Interface], cancellationToken)).Output.Trim();

    private static async Task EnsureChainsAsync(IClusterNetwork network, BrokerNode broker, CancellationToken cancellationToken)
    {
        foreach (var (chain, hook) in new[] { (InChain, "INPUT"), (OutChain, "OUTPUT") })
        {
            cancellationToken.ThrowIfCancellationRequested();
            await network.RunAsync(broker, ["iptables", "-N", chain], CancellationToken.None); // fails harmlessly when it exists; see RunAsync
            if ((await network.RunAsync(broker, ["iptables", "-C", hook, "-j", chain], cancellationToken)).ExitCode != 0)
            {
                await RunAsync(network, broker, ["iptables", "-I", hook, "-j", chain], cancellationToken);
            }
        }
    }

    /// <summary>
    /// Runs a command that changes the broker's rules. Cancellation is checked before it starts, never
    /// while it runs: cancelling only stops waiting for the exec, and the rule would then land after
    /// the final heal had cleared the broker (seen on a Ctrl-C that left a net-loss DROP rule behind).
    /// </summary>
    private static async Task RunAsync(IClusterNetwork network, BrokerNode broker, IList<string> command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (exit, output) = await network.RunAsync(broker, command, CancellationToken.None);
        if (exit != 0)
        {
            throw new InfrastructureException($"{broker.Target}: '{string.Join(' ', command)}' failed with exit code {exit}: {output.Trim()}");
        }
    }
}
