using System.Net.Sockets;
using System.Text;

namespace KafkaChaos.Cluster;

/// <summary>
/// ZooKeeper's four-letter "ruok": how a starting cluster knows its ZooKeeper is serving, and how an attached
/// cluster's ZooKeeper is told from its brokers, which never answer "imok".
/// </summary>
public static class ZooKeeperProbe
{
    /// <summary>True when a ZooKeeper at <paramref name="host"/>:<paramref name="port"/> answers "imok" within 2 s.</summary>
    public static async Task<bool> AnswersAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var timeout = TimeProvider.System.Limit(TimeSpan.FromSeconds(2), cancellationToken);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("ruok"u8.ToArray(), timeout.Token);
            var buffer = new byte[4];
            var read = await stream.ReadAtLeastAsync(buffer, 4, throwOnEndOfStream: false, timeout.Token);
            return read == 4 && Encoding.ASCII.GetString(buffer) == "imok";
        }
        catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false; // not listening (yet), or not ZooKeeper
        }
    }
}
