using System.Net.Sockets;
using System.Text;

namespace KafkaChaos.Tests.Cluster;

/// <summary>
/// A Docker engine's API on a Unix socket, answering from a script: enough of it for a client to connect,
/// find an image missing and ask the engine to pull it. Nothing is ever fetched; every request is recorded,
/// so a test can say what the tool asked and what it did not.
/// </summary>
internal sealed class FakeDockerEngine : IDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly Func<string, string, (int Status, string Body)> _answer;
    private readonly Lock _gate = new();
    private readonly List<string> _requests = [];

    /// <param name="path">Where the socket is made.</param>
    /// <param name="answer">The status and body for a method and path (with its query); null body: 404.</param>
    public FakeDockerEngine(string path, Func<string, string, (int Status, string Body)> answer)
    {
        Path = path;
        _answer = answer;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(16);
        _serving = ServeAsync();
    }

    public string Path { get; }

    public string DockerHost => $"unix://{Path}";

    /// <summary>"METHOD /path?query" of every request so far.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The answers every client needs first: the engine's version and API.</summary>
    public static (int, string)? Version(string method, string path) =>
        method == "GET" && (path == "/version" || path.EndsWith("/version", StringComparison.Ordinal))
            ? (200, """{"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}""")
            : path.EndsWith("/_ping", StringComparison.Ordinal) ? (200, "OK") : null;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends with the socket closed under it.
        }

        File.Delete(Path);
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(connection));
        }
    }

    private async Task AnswerAsync(Socket connection)
    {
        using var stream = new NetworkStream(connection, ownsSocket: true);
        try
        {
            while (await ReadRequestAsync(stream) is { } request)
            {
                lock (_gate)
                {
                    _requests.Add($"{request.Method} {request.Path}");
                }

                var (status, body) = _answer(request.Method, request.Path);
                var bytes = Encoding.UTF8.GetBytes(body);
                var head = $"HTTP/1.1 {status} {(status < 400 ? "OK" : "Error")}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nApi-Version: 1.41\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                await stream.WriteAsync(bytes);
                await stream.FlushAsync();
            }
        }
        catch (IOException)
        {
            // The client hung up.
        }

    }

    private static async Task<(string Method, string Path)?> ReadRequestAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        // Docker.DotNet ends its header lines with a bare LF after the request line: a blank line ends the head either way.
        while (!head.ToString().EndsWith("\n\r\n", StringComparison.Ordinal) && !head.ToString().EndsWith("\n\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            head.Append((char)one[0]);
        }

        var lines = head.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var length = lines.Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(p => int.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        if (length > 0)
        {
            await stream.ReadExactlyAsync(new byte[length]);
        }

        var requestLine = lines[0].Split(' ');
        return (requestLine[0], Uri.UnescapeDataString(requestLine[1]));
    }
}
