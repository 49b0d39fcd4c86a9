namespace KafkaChaos.Cluster;

/// <summary>
/// Where the network faults' iptables and tc rules run: in each broker's network namespace. A cluster this
/// tool started has them in its broker image (<see cref="BrokerContainerNetwork"/>); an attached cluster's
/// images often have neither, so a sidecar joins the broker's namespace with them (a sidecar network).
/// </summary>
public interface IClusterNetwork
{
    /// <summary>The cluster members that are not brokers (ZooKeeper, KRaft controllers): what an isolation cuts besides the other brokers.</summary>
    IReadOnlyList<string> CoordinatorAddresses { get; }

    /// <summary>Runs a program, argument by argument, in the broker's network namespace.</summary>
    Task<(long ExitCode, string Output)> RunAsync(BrokerNode broker, IList<string> command, CancellationToken cancellationToken);

    /// <summary>Lets go of what running programs there needed, once the broker's rules are cleared; the rules live in the broker's namespace, not in it.</summary>
    Task ReleaseAsync(BrokerNode broker, CancellationToken cancellationToken);
}
