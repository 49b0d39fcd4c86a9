namespace KafkaChaos.Cluster;

/// <summary>
/// A KRaft cluster's topology: brokers, leaders and ISRs from several brokers' metadata
/// (<see cref="MetadataTopologySource"/>), and the active controller from the quorum itself, as
/// <c>kafka-metadata-quorum describe --status</c> names it (LeaderId), run in a broker that is up.
/// </summary>
/// <remarks>
/// KRaft brokers name a random broker as "controller" in metadata, so metadata alone cannot aim a
/// controller fault; the quorum tool asks the quorum. In combined mode the active controller is a broker.
/// The tool is a JVM that takes seconds to start, and topology is polled often while faults wait, so its
/// answer is kept for <see cref="StatusReuse"/> unless the live brokers change meanwhile.
/// </remarks>
/// <param name="metadata">Brokers, leaders and ISRs.</param>
/// <param name="nodes">Where the quorum tool runs: in a broker that is up.</param>
/// <param name="layout">Where the tool is in the brokers' image.</param>
/// <param name="reach">How the tool reaches the quorum from a broker: argument pairs tried in turn
/// (<c>--bootstrap-server host:port</c>, or <c>--bootstrap-controller host:port</c> from 3.7); by default the broker's own 9092.</param>
/// <param name="time">The clock the reuse of a status is measured on.</param>
public sealed class QuorumTopologySource(MetadataTopologySource metadata, IBrokerControl nodes, KafkaImageLayout layout,
    Func<BrokerNode, IEnumerable<string[]>>? reach = null, TimeProvider? time = null) : ITopologySource, IDisposable
{
    private static readonly TimeSpan QuorumTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long a quorum status is used again while the live brokers stay the same.</summary>
    public static readonly TimeSpan StatusReuse = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private (KRaftQuorumStatus Status, string Brokers, DateTimeOffset At)? _last;

    public async Task<ClusterTopology> TopologyAsync(string topic, CancellationToken cancellationToken)
    {
        var topology = await metadata.TopologyAsync(topic, cancellationToken);
        var brokers = string.Join(',', topology.Brokers);
        if (_last is not { } last || last.Brokers != brokers || _time.GetUtcNow() - last.At > StatusReuse)
        {
            _last = await StatusAsync(cancellationToken) is { } status ? (status, brokers, _time.GetUtcNow()) : null;
        }

        return topology with { Controller = _last?.Status.LeaderId ?? -1 };
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

            foreach (var arguments in reach?.Invoke(broker) ?? [["--bootstrap-server", $"{broker.IpAddress}:{ZooKeeperBrokerConfig.ClientPort}"]])
            {
                using var limit = _time.Limit(QuorumTimeout, cancellationToken);
                try
                {
                    var (exitCode, output) = await nodes.ExecAsync(broker, [layout.Script("kafka-metadata-quorum"), .. arguments, "describe", "--status"], limit.Token);
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
        }

        return null;
    }

    public void Dispose() => metadata.Dispose();
}
