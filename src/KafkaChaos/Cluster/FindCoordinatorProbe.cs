using System.Buffers.Binary;
using System.Text;

namespace KafkaChaos.Cluster;

/// <summary>
/// Asks a broker which broker coordinates a consumer group (FindCoordinator, GroupCoordinator before 0.11),
/// the way the group's own clients find it. Confluent.Kafka does not expose the request, so it is sent here:
/// version 0 before 0.11, version 1 from 0.11 (4.0 removed version 0, KIP-896).
/// </summary>
public static class FindCoordinatorProbe
{
    private const short ApiKey = 10;

    /// <summary>The coordinator's node id, host and port, or null when the broker did not answer or answered with an error (a coordinator not yet loaded).</summary>
    public static async Task<(int NodeId, string Host, int Port)?> AskAsync(string host, int port, string groupId, KafkaVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var apiVersion = version >= new KafkaVersion(0, 11, 0) ? (short)1 : (short)0;
        return await KafkaRequestExchange.SendAsync(host, port, Request(groupId, apiVersion, correlationId: 7), 1 << 16, cancellationToken) is { } body
            ? Parse(body, apiVersion, correlationId: 7)
            : null;
    }

    /// <summary>The whole request, size first: header v1 (key, version, correlation id, client id), then the group id (and key type 0 from v1).</summary>
    public static byte[] Request(string groupId, short apiVersion, int correlationId)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        var group = Encoding.UTF8.GetBytes(groupId);
        var request = KafkaRequestExchange.Request(ApiKey, apiVersion, correlationId, 2 + group.Length + (apiVersion >= 1 ? 1 : 0));
        var at = KafkaRequestExchange.BodyStart;
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(at), (short)group.Length);
        group.CopyTo(request, at + 2);
        if (apiVersion >= 1)
        {
            request[^1] = 0; // key type: a group
        }

        return request;
    }

    /// <summary>
    /// A response after its size: correlation id, then (v1) throttle time; error code, (v1) error message,
    /// node id, host, port. Null for an error or a malformed answer.
    /// </summary>
    public static (int NodeId, string Host, int Port)? Parse(ReadOnlySpan<byte> body, short apiVersion, int correlationId)
    {
        if (body.Length < 4 || BinaryPrimitives.ReadInt32BigEndian(body) != correlationId)
        {
            return null;
        }

        var at = 4 + (apiVersion >= 1 ? 4 : 0);
        if (body.Length < at + 2 || BinaryPrimitives.ReadInt16BigEndian(body[at..]) != 0)
        {
            return null;
        }

        at += 2;
        if (apiVersion >= 1)
        {
            var messageLength = BinaryPrimitives.ReadInt16BigEndian(body[at..]);
            at += 2 + Math.Max((int)messageLength, 0);
        }

        if (body.Length < at + 6)
        {
            return null;
        }

        var nodeId = BinaryPrimitives.ReadInt32BigEndian(body[at..]);
        var hostLength = BinaryPrimitives.ReadInt16BigEndian(body[(at + 4)..]);
        at += 6;
        if (hostLength < 0 || body.Length < at + hostLength + 4)
        {
            return null;
        }

        var host = Encoding.UTF8.GetString(body.Slice(at, hostLength));
        var port = BinaryPrimitives.ReadInt32BigEndian(body[(at + hostLength)..]);
        return nodeId < 0 ? null : (nodeId, host, port);
    }
}
