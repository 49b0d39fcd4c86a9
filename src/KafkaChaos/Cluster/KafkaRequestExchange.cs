using System.Buffers.Binary;
using System.Net.Sockets;

namespace KafkaChaos.Cluster;

/// <summary>
/// One request to a broker over a connection of its own, for the few requests the client library does not
/// expose (ApiVersions to read a broker's release, FindCoordinator): sent whole, its response read by its size.
/// </summary>
public static class KafkaRequestExchange
{
    private static readonly byte[] ClientId = "kafka-chaos"u8.ToArray();

    /// <summary>Where a request's body starts: after its size and its header v1 (key, version, correlation id, client id).</summary>
    public static int BodyStart => 4 + 2 + 2 + 4 + 2 + ClientId.Length;

    /// <summary>
    /// A request of <paramref name="bodyLength"/> body bytes, size and header written, the body zeroed from
    /// <see cref="BodyStart"/> for the caller to fill.
    /// </summary>
    public static byte[] Request(short apiKey, short apiVersion, int correlationId, int bodyLength)
    {
        var request = new byte[BodyStart + bodyLength];
        BinaryPrimitives.WriteInt32BigEndian(request, request.Length - 4);
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(4), apiKey);
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(6), apiVersion);
        BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(8), correlationId);
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(12), (short)ClientId.Length);
        ClientId.CopyTo(request, 14);
        return request;
    }

    /// <summary>The response after its size field, or null when the broker did not answer within 3 s, hung up, or sent a size outside 10..<paramref name="maxSize"/>.</summary>
    public static async Task<byte[]?> SendAsync(string host, int port, byte[] request, int maxSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = TimeProvider.System.Limit(TimeSpan.FromSeconds(3), cancellationToken);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(request, timeout.Token);
            var sizeBytes = new byte[4];
            await stream.ReadExactlyAsync(sizeBytes, timeout.Token);
            var size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
            if (size < 10 || size > maxSize)
            {
                return null;
            }

            var body = new byte[size];
            await stream.ReadExactlyAsync(body, timeout.Token);
            return body;
        }
        catch (Exception e) when (e is SocketException or IOException or EndOfStreamException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }
}
