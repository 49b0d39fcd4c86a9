namespace KafkaChaos.Cluster;

/// <summary>
/// A KRaft cluster's topology: brokers, leaders and ISRs from several brokers' metadata
/// (<see cref="MetadataTopologySource"/>), and the active controller from the quorum itself, as
/// <c>kafka-metadata-quorum describe --status</c> names it (LeaderId), run in a broker that is up.
/// </summary>
/// <remarks>
/// KRaft brokers name a random broker as "controller" in metadata, so metadata alone cannot aim a
/// controller fault; the quorum tool asks the quorum. In combined mode the active controller is a broker.
/// </remarks>
public sealed class QuorumTopologySource(MetadataTopologySource metadata, IBrokerControl nodes, KafkaImageLayout layout) : ITopologySource, IDisposable
{
    private static readonly TimeSpan QuorumTimeout = TimeSpan.FromSeconds(20);

    public async Task<ClusterTopology> TopologyAsync(string topic, CancellationToken cancellationToken)
    {
        var topology = await metadata.TopologyAsync(topic, cancellationToken);
        var status = await StatusAsync(cancellationToken);
        return topology with { Controller = status?.LeaderId ?? -1 };
    }

    public Task<IReadOnlyList<int>> AnnouncedBrokersAsync(CancellationToken cancellationToken) => metadata.AnnouncedBrokersAsync(cancellationToken);

    public Task<bool> ReelectControllerAsync(CancellationToken cancellationToken) => metadata.ReelectControllerAsync(cancellationToken);

    /// <summary>The quorum's status as a running broker reports it; null when no broker could say.</summary>
    public async Task<KRaftQuorumStatus?> StatusAsync(CancellationToken cancellationToken)
    {
        foreach (var broker in nodes.Brokers)
        {
            var (running, paused) = await nodes.StateAsync(broker, cancellationToken);
            if (!running || paused)
            {
                continue;
            }

            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(QuorumTimeout);
            try
            {
                var (exitCode, output) = await nodes.ExecAsync(broker,
                    [layout.Script("kafka-metadata-quorum"), "--bootstrap-server", $"{broker.IpAddress}:{ZooKeeperBrokerConfig.ClientPort}", "describe", "--status"], limit.Token);
                if (exitCode == 0 && KRaftQuorumStatus.Parse(output) is { LeaderId: >= 0 } status)
                {
                    return status;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // This broker did not answer in time (cut off, or its JVM is starting); ask the next.
            }
        }

        return null;
    }

    public void Dispose() => metadata.Dispose();
}
