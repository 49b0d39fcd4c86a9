using Confluent.Kafka;

namespace KafkaChaos.Cluster;

/// <summary>
/// The topology of a cluster without ZooKeeper (KRaft), from metadata: the brokers, leaders and ISRs that
/// the controller has published. The active controller is not in a broker's metadata (KRaft brokers name a
/// random broker as the controller), so it is left unknown (-1). A paused or cut-off broker keeps serving
/// what it last knew, so each broker is asked on its own and the view most of them share is taken: a stale
/// broker is alone in its own. A client asked through one broker may still route a request to another,
/// so this is a majority of answers, not a proof of each broker's view. The active controller comes from the
/// quorum instead (<see cref="QuorumTopologySource"/>).
/// </summary>
public sealed class MetadataTopologySource(IReadOnlyList<BrokerNode> brokers, IReadOnlyList<string> advertised,
    IReadOnlyDictionary<string, string> clientSettings, TimeProvider time) : ITopologySource, IDisposable
{
    private readonly Dictionary<int, IAdminClient> _perBroker = [];

    public async Task<ClusterTopology> TopologyAsync(string topic, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var views = new List<ClusterTopology>();
        for (var i = 0; i < brokers.Count; i++)
        {
            var admin = AdminFor(i);
            var view = await Task.Run(() =>
            {
                try
                {
                    var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(2));
                    var partitions = metadata.Topics.SingleOrDefault(t => t.Topic == topic)?.Partitions
                        .Select(p => new PartitionState(p.PartitionId, p.Leader, p.Replicas, p.InSyncReplicas)).OrderBy(p => p.Partition).ToArray() ?? [];
                    return new ClusterTopology(now, [.. metadata.Brokers.Select(b => b.BrokerId).Order()], partitions);
                }
                catch (KafkaException)
                {
                    return null;
                }
            }, cancellationToken);
            if (view is not null)
            {
                views.Add(view);
            }
        }

        // The view most brokers share; a stale broker is alone in its own.
        return views.GroupBy(v => v.ToString().Split(" controller=")[0] + string.Join(';', v.Partitions))
            .OrderByDescending(g => g.Count()).Select(g => g.First()).FirstOrDefault() ?? new ClusterTopology(now, [], []);
    }

    public async Task<IReadOnlyList<int>> AnnouncedBrokersAsync(CancellationToken cancellationToken) =>
        (await TopologyAsync("", cancellationToken)).Brokers;

    /// <summary>A KRaft quorum elects its leader itself; there is nothing for an operator to delete.</summary>
    public Task<bool> ReelectControllerAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    public void Dispose()
    {
        foreach (var admin in _perBroker.Values)
        {
            admin.Dispose();
        }
    }

    /// <summary>A client that knows one broker only, so that its answers are that broker's view.</summary>
    private IAdminClient AdminFor(int index)
    {
        if (!_perBroker.TryGetValue(index, out var admin))
        {
            var settings = new Dictionary<string, string>(clientSettings, StringComparer.Ordinal) { ["bootstrap.servers"] = advertised[index] };
            _perBroker[index] = admin = new AdminClientBuilder(settings).SetLogHandler((_, _) => { }).Build();
        }

        return admin;
    }
}
