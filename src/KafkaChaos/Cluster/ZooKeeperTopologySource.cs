using System.Net.Sockets;
using Confluent.Kafka;

namespace KafkaChaos.Cluster;

/// <summary>
/// The topology as the controller sees it, read from ZooKeeper: registered brokers, the controller, and each
/// partition's leader and ISR. What clients are told comes from metadata through <paramref name="admin"/>.
/// </summary>
public sealed class ZooKeeperTopologySource(string zooKeeperHost, int zooKeeperPort, DistributionShell shell, Func<IAdminClient> admin, TimeProvider time)
    : ITopologySource
{
    public async Task<ClusterTopology> TopologyAsync(string topic, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        using var timeout = TimeProvider.System.Limit(TimeSpan.FromSeconds(5), cancellationToken);
        try
        {
            await using var zooKeeper = await ZooKeeperReader.ConnectAsync(zooKeeperHost, zooKeeperPort, timeout.Token);
            return await zooKeeper.TopologyAsync(topic, now, timeout.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or System.Text.Json.JsonException or FormatException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new ClusterTopology(now, [], []);
        }
    }

    public async Task<IReadOnlyList<int>> AnnouncedBrokersAsync(CancellationToken cancellationToken) =>
        await Task.Run(() =>
        {
            try
            {
                return (IReadOnlyList<int>)admin().GetMetadata(TimeSpan.FromSeconds(5)).Brokers.Select(b => b.BrokerId).Order().ToArray();
            }
            catch (KafkaException)
            {
                return [];
            }
        }, cancellationToken);

    /// <summary>
    /// Deletes /controller, so that the brokers elect a controller again. A new controller reads every
    /// registration and partition state from ZooKeeper and sends each live broker the leader and ISR of
    /// every replica it holds; brokers that already have that leader epoch ignore it. This is how an
    /// operator repairs a 0.9 controller that missed a broker re-registering (its one-shot ZooKeeper watch
    /// saw the same set of brokers before and after, KAFKA-1120): that broker is registered, but no
    /// controller ever told it what to replicate, so it never rejoins an ISR.
    /// </summary>
    public async Task<bool> ReelectControllerAsync(CancellationToken cancellationToken)
    {
        await shell.ZooKeeperCommandAsync("delete /controller", cancellationToken);
        return true;
    }
}
