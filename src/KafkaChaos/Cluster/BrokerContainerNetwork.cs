namespace KafkaChaos.Cluster;

/// <summary>
/// Network rules run in the broker's own container, whose image (built by this tool) has iptables and tc
/// and which was started with NET_ADMIN.
/// </summary>
public sealed class BrokerContainerNetwork(IBrokerControl brokers, IReadOnlyList<string> coordinatorAddresses) : IClusterNetwork
{
    public IReadOnlyList<string> CoordinatorAddresses => coordinatorAddresses;

    public Task<(long ExitCode, string Output)> RunAsync(BrokerNode broker, IList<string> command, CancellationToken cancellationToken) =>
        brokers.ExecAsync(broker, command, cancellationToken);

    public Task ReleaseAsync(BrokerNode broker, CancellationToken cancellationToken) => Task.CompletedTask;
}
