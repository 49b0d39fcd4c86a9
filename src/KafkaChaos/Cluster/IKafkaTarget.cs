namespace KafkaChaos.Cluster;

/// <summary>
/// The cluster a workload talks to: one this tool started (<see cref="KafkaCluster"/>), or one it did
/// not (<see cref="ExternalCluster"/>, the <c>--bootstrap</c> mode). Workload and ledger need only this.
/// </summary>
public interface IKafkaTarget
{
    /// <summary>What every client of this cluster needs: bootstrap servers, version settings, credentials.</summary>
    IReadOnlyDictionary<string, string> ClientSettings { get; }

    KafkaVersion Version { get; }

    /// <summary>Creates the run's topic and waits until every partition has a leader.</summary>
    Task CreateTopicAsync(string topic, int partitions, int replicationFactor, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken);
}
