namespace KafkaChaos.Cluster;

/// <summary>
/// Whether something serving a Kafka port is a broker, asked of that endpoint alone rather than of the
/// cluster's metadata: a broker that has not registered yet (or has just lost its ZooKeeper session) is
/// missing from the metadata but still answers on its own listener, and attaching without it would run on a
/// cluster smaller than the user's.
/// </summary>
public static class BrokerListenerProbe
{
    /// <summary>
    /// From 0.10 a broker's ApiVersions answer lists Produce, which a KRaft controller's does not; before 0.10,
    /// which has no ApiVersions, a broker answers a Metadata v0 request.
    /// </summary>
    public static async Task<bool> IsBrokerAsync(string host, int port, KafkaVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (version.HasApiVersionsRequest)
        {
            return await ApiVersionsProbe.AskAsync(host, port, cancellationToken) is { } apis && apis.Any(a => a.ApiKey == 0);
        }

        return await KafkaRequestExchange.SendAsync(host, port, MetadataV0Request(), 16 << 20, cancellationToken) is not null;
    }

    /// <summary>Metadata v0 with an empty topic list (a zero count), which before 0.10 asks for every topic; only the answer's arrival matters.</summary>
    private static byte[] MetadataV0Request() => KafkaRequestExchange.Request(apiKey: 3, apiVersion: 0, correlationId: 1, bodyLength: 4);
}
