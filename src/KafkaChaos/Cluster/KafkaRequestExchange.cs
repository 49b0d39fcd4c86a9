using System.Buffers.Binary;
using System.Net.Sockets;

namespace KafkaChaos.Cluster;

/// <summary>
/// One request to a broker over a connection of its own, for the few requests the client library does not
/// expose (ApiVersions to read a broker's release, FindCoordinator): sent whole, its response read by its size.
/// </summary>
public static class KafkaRequestExchange
{
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
