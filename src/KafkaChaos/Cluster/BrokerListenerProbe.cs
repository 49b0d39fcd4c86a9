using System.Buffers.Binary;

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

    /// <summary>Metadata v0 with an empty topic list, which before 0.10 asks for every topic; only the answer's arrival matters.</summary>
    private static byte[] MetadataV0Request()
    {
        var clientId = "kafka-chaos"u8.ToArray();
        var request = new byte[4 + 2 + 2 + 4 + 2 + clientId.Length + 4];
        BinaryPrimitives.WriteInt32BigEndian(request, request.Length - 4);
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(4), 3); // Metadata
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(6), 0);
        BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(8), 1); // correlation id
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(12), (short)clientId.Length);
        clientId.CopyTo(request, 14);
        return request; // the topic count, 0, is already in place
    }
}
