using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace KafkaChaos.Cluster;

/// <summary>
/// Reads a ZooKeeper-mode cluster's state the way its controller sees it: live brokers from
/// /brokers/ids, the controller from /controller, and each partition's replicas, leader and ISR from
/// /brokers/topics. Clients' metadata can be stale exactly when faults hit (a paused or cut-off broker
/// keeps answering with its old view), so faults verify their effect against this.
/// </summary>
/// <remarks>
/// Speaks just enough of the ZooKeeper protocol for that (connect, getChildren, getData, close: plain
/// read-only requests on a fresh session, no watches) over one TCP connection per read.
/// </remarks>
public sealed class ZooKeeperReader : IAsyncDisposable
{
    private const int GetData = 4;
    private const int GetChildren = 8;
    private const int CloseSession = -11;
    private const int NoNode = -101;
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private int _xid;

    private ZooKeeperReader(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<ZooKeeperReader> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, cancellationToken);
            var reader = new ZooKeeperReader(client);
            var request = new byte[4 + 8 + 4 + 8 + 4 + 16];
            BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(12), 10_000); // session timeout, ms
            BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(24), 16);     // empty 16-byte password
            await reader.SendAsync(request, cancellationToken);
            await reader.ReceiveAsync(cancellationToken); // the session; nothing in it is needed
            return reader;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The topology as the controller sees it; brokers and partitions empty when not registered yet.</summary>
    public async Task<ClusterTopology> TopologyAsync(string topic, long timestampMs, CancellationToken cancellationToken)
    {
        var brokers = (await ChildrenAsync("/brokers/ids", cancellationToken) ?? []).Select(int.Parse).Order().ToArray();
        var controller = await DataAsync("/controller", cancellationToken) is { } c ? Json(c).GetProperty("brokerid").GetInt32() : -1;
        var partitions = new List<PartitionState>();
        if (await DataAsync($"/brokers/topics/{topic}", cancellationToken) is { } assignment)
        {
            foreach (var partition in Json(assignment).GetProperty("partitions").EnumerateObject())
            {
                var id = int.Parse(partition.Name, System.Globalization.CultureInfo.InvariantCulture);
                var replicas = partition.Value.EnumerateArray().Select(r => r.GetInt32()).ToArray();
                var state = await DataAsync($"/brokers/topics/{topic}/partitions/{id}/state", cancellationToken) is { } s ? Json(s) : default;
                var leader = state.ValueKind == JsonValueKind.Object ? state.GetProperty("leader").GetInt32() : -1;
                var isr = state.ValueKind == JsonValueKind.Object ? state.GetProperty("isr").EnumerateArray().Select(r => r.GetInt32()).ToArray() : [];
                partitions.Add(new PartitionState(id, leader, replicas, isr));
            }
        }

        return new ClusterTopology(timestampMs, brokers, [.. partitions.OrderBy(p => p.Partition)], controller);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SendAsync(Header(CloseSession), CancellationToken.None);
        }
        catch (IOException)
        {
            // The server may already have dropped the connection; the session expires either way.
        }

        _client.Dispose();
    }

    /// <returns>The children's names, or null when the node does not exist.</returns>
    private async Task<IReadOnlyList<string>?> ChildrenAsync(string path, CancellationToken cancellationToken)
    {
        var reply = await RequestAsync(GetChildren, path, cancellationToken);
        if (reply is null)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(reply);
        var children = new List<string>(Math.Max(count, 0));
        var position = 4;
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(position));
            children.Add(Encoding.UTF8.GetString(reply, position + 4, length));
            position += 4 + length;
        }

        return children;
    }

    /// <returns>The node's data, or null when the node does not exist or is empty.</returns>
    private async Task<byte[]?> DataAsync(string path, CancellationToken cancellationToken)
    {
        var reply = await RequestAsync(GetData, path, cancellationToken);
        if (reply is null)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(reply);
        return length <= 0 ? null : reply.AsSpan(4, length).ToArray();
    }

    /// <returns>The reply body after its header, or null for "no node".</returns>
    private async Task<byte[]?> RequestAsync(int type, string path, CancellationToken cancellationToken)
    {
        var pathBytes = Encoding.UTF8.GetBytes(path);
        var header = Header(type);
        var request = new byte[header.Length + 4 + pathBytes.Length + 1];
        header.CopyTo(request, 0);
        BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(header.Length), pathBytes.Length);
        pathBytes.CopyTo(request, header.Length + 4);
        await SendAsync(request, cancellationToken);
        var reply = await ReceiveAsync(cancellationToken);
        var error = BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(12));
        if (error == NoNode)
        {
            return null;
        }

        if (error != 0)
        {
            throw new IOException($"ZooKeeper answered {path} with error {error}");
        }

        return reply[16..];
    }

    private byte[] Header(int type)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, ++_xid);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), type);
        return header;
    }

    private async Task SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        await _stream.WriteAsync(frame, cancellationToken);
    }

    private async Task<byte[]> ReceiveAsync(CancellationToken cancellationToken)
    {
        var lengthBytes = new byte[4];
        await _stream.ReadExactlyAsync(lengthBytes, cancellationToken);
        var length = BinaryPrimitives.ReadInt32BigEndian(lengthBytes);
        if (length is < 0 or > 16 << 20)
        {
            throw new IOException($"ZooKeeper sent a frame of {length} bytes");
        }

        var body = new byte[length];
        await _stream.ReadExactlyAsync(body, cancellationToken);
        return body;
    }

    private static JsonElement Json(byte[] data) => JsonDocument.Parse(data).RootElement;
}
