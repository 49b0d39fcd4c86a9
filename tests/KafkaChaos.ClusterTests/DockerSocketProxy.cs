using System.Net.Sockets;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// A Unix socket that forwards every connection to the real Docker engine's socket, byte for byte, until
/// <see cref="Stop"/>: then every connection is cut and the socket is gone. A process given it as
/// DOCKER_HOST sees its engine go away mid-run exactly as when dockerd dies, while the engine itself, and
/// whatever the process started, stays up for the test to inspect and clean.
/// </summary>
internal sealed class DockerSocketProxy : IDisposable
{
    private const string EngineSocket = "/var/run/docker.sock";
    private readonly Socket _listener;
    private readonly List<Socket> _connections = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public DockerSocketProxy(string path)
    {
        Path = path;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(64);
        _accepting = AcceptAsync();
    }

    public string Path { get; }

    public string DockerHost => $"unix://{Path}";

    /// <summary>The engine "dies": the socket disappears and every open connection is reset.</summary>
    public void Stop()
    {
        _stop.Cancel();
        _listener.Close();
        File.Delete(Path);
        lock (_gate)
        {
            foreach (var connection in _connections)
            {
                connection.Close(0);
            }

            _connections.Clear();
        }
    }

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested)
        {
            Stop();
        }

        _accepting.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptAsync(_stop.Token);
                var engine = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await engine.ConnectAsync(new UnixDomainSocketEndPoint(EngineSocket), _stop.Token);
                lock (_gate)
                {
                    _connections.Add(client);
                    _connections.Add(engine);
                }

                _ = PumpAsync(client, engine);
                _ = PumpAsync(engine, client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // One side closed, or the proxy stopped.
        }
    }
}
