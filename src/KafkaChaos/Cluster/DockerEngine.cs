using System.Globalization;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Version = System.Version;

namespace KafkaChaos.Cluster;

/// <summary>
/// A connection to the Docker engine at the API version the engine itself reports, so one build works
/// against Debian's 20.10 (API 1.41) and against current engines alike.
/// </summary>
public sealed class DockerEngine : IDisposable
{
    /// <summary>The newest API whose models this client library sends correctly.</summary>
    private static readonly Version NewestUsableApi = new(1, 45);

    private DockerEngine(DockerClient client, Uri endpoint, Version apiVersion, string engineVersion)
    {
        Client = client;
        Endpoint = endpoint;
        ApiVersion = apiVersion;
        EngineVersion = engineVersion;
    }

    public DockerClient Client { get; }
    public Uri Endpoint { get; }
    public Version ApiVersion { get; }
    public string EngineVersion { get; }

    /// <summary>Connects to <c>DOCKER_HOST</c>, or the local socket, and negotiates the API version.</summary>
    /// <exception cref="InfrastructureException">No engine answers.</exception>
    public static async Task<DockerEngine> ConnectAsync(CancellationToken cancellationToken)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var endpoint = new Uri(string.IsNullOrWhiteSpace(host) ? "unix:///var/run/docker.sock" : host);
        VersionResponse version;
        using (var probe = new DockerClientConfiguration(endpoint, defaultTimeout: TimeSpan.FromSeconds(10)).CreateClient())
        {
            try
            {
                version = await probe.System.GetVersionAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InfrastructureException(
                    $"no Docker engine answers at {endpoint} ({e.GetBaseException().Message}); run 'make setup' (as root it installs and starts one) or set DOCKER_HOST", e);
            }
        }

        var engineApi = Version.Parse(version.APIVersion);
        var api = engineApi < NewestUsableApi ? engineApi : NewestUsableApi;
        var client = new DockerClientConfiguration(endpoint, defaultTimeout: TimeSpan.FromMinutes(5)).CreateClient(api);
        return new DockerEngine(client, endpoint, api, version.Version);
    }

    /// <summary>
    /// Whether <paramref name="e"/> says the engine stopped answering (its socket refuses or resets
    /// connections), as opposed to refusing one request.
    /// </summary>
    public static bool IsUnreachable(Exception e) =>
        e is HttpRequestException || e.GetBaseException() is System.Net.Sockets.SocketException || (e is IOException && e.InnerException is System.Net.Sockets.SocketException);

    /// <summary>The failure to report when the engine went away in the middle of something.</summary>
    public InfrastructureException Unreachable(Exception e) =>
        new($"the Docker engine at {Endpoint} stopped answering ({e.GetBaseException().Message}); start it again, then run 'kafka-chaos cluster down' to remove what this run left", e);

    /// <summary>Runs a command in a running container and returns its exit code and combined output.</summary>
    public async Task<(long ExitCode, string Output)> ExecAsync(string containerId, IList<string> command, CancellationToken cancellationToken)
    {
        var created = await Client.Exec.ExecCreateContainerAsync(containerId, new ContainerExecCreateParameters
        {
            Cmd = command,
            AttachStdout = true,
            AttachStderr = true,
        }, cancellationToken);
        using var stream = await Client.Exec.StartAndAttachContainerExecAsync(created.ID, tty: false, cancellationToken);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(cancellationToken);
        var inspected = await Client.Exec.InspectContainerExecAsync(created.ID, cancellationToken);
        return (inspected.ExitCode, stdout + stderr);
    }

    /// <summary>A container's stdout and stderr, for copying into a run directory when something failed.</summary>
    /// <param name="containerId">The container.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <param name="tail">Only the last lines of each stream; null: all of them.</param>
    public async Task<string> LogsAsync(string containerId, CancellationToken cancellationToken, int? tail = null)
    {
        using var stream = await Client.Containers.GetContainerLogsAsync(containerId, tty: false, new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Timestamps = true,
            Tail = tail?.ToString(CultureInfo.InvariantCulture),
        }, cancellationToken);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(cancellationToken);
        var text = new StringBuilder(stdout.Length + stderr.Length + 32).Append(stdout);
        if (stderr.Length > 0)
        {
            text.Append("\n--- stderr ---\n").Append(stderr);
        }

        return text.ToString();
    }

    public void Dispose() => Client.Dispose();
}
