namespace KafkaChaos.Cluster;

/// <summary>
/// A cluster reached only through its bootstrap servers, whose brokers the tool cannot touch: a user's
/// cluster (<see cref="ExternalCluster"/>, <c>--bootstrap</c>), or a test fixture such as librdkafka's mock
/// cluster. Only client-side faults apply; the run records how the target describes itself.
/// </summary>
public interface IExternalTarget : IKafkaTarget
{
    string BootstrapServers { get; }

    /// <summary>The target as journals and reports record it (<c>cluster.*</c> keys), secrets masked.</summary>
    IReadOnlyDictionary<string, string> Describe();
}
