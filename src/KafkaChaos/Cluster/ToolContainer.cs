using Docker.DotNet;
using Docker.DotNet.Models;

namespace KafkaChaos.Cluster;

/// <summary>
/// A container from the brokers' own image on the cluster's network, idle until told to run one of the
/// distribution's tools (its verifiable clients, its perf tests) as a client of the cluster. A tool run
/// this way meets the brokers as the harness does, over the network, but never shares a broker's
/// process namespace or cgroup, so what it costs is its own.
/// </summary>
/// <remarks>
/// It carries the run's labels, so a sweep removes what a crash left, and the cluster that started it
/// removes it with itself. Its <c>/tmp</c> is a tmpfs: a tool's stdout, which the verifiable clients fill
/// with a JSON line per message, is written to memory there, not to the disk the broker's log is on.
/// </remarks>
public sealed class ToolContainer(DockerEngine engine, string containerId, string kafkaHome) : IAsyncDisposable
{
    public string KafkaHome => kafkaHome;

    internal string ContainerId => containerId;

    /// <summary>Runs a shell script in the container, from the distribution's directory.</summary>
    /// <returns>Its exit code and what it printed, stdout then stderr.</returns>
    public Task<(long ExitCode, string Output)> RunAsync(string script, CancellationToken cancellationToken) =>
        engine.ExecAsync(containerId, ["sh", "-c", $"cd {kafkaHome} && {script}"], cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await engine.Client.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true });
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone with its cluster.
        }
    }

    /// <summary>Starts one on <paramref name="networkName"/>, labelled for <paramref name="runId"/>.</summary>
    internal static async Task<ToolContainer> StartAsync(DockerEngine engine, string image, string networkName, string runId, string kafkaHome, bool kept,
        CancellationToken cancellationToken)
    {
        var created = await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"kafka-chaos-{runId}-tools-{Guid.NewGuid().ToString("N")[..6]}",
            Image = image,
            Cmd = ["sleep", "infinity"],
            WorkingDir = kafkaHome,
            Labels = ResourceLabels.For(runId, "tools", kept),
            HostConfig = new HostConfig
            {
                NetworkMode = networkName,
                Init = true,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = "size=2g" },
            },
        }, cancellationToken);
        try
        {
            await engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
        }
        catch
        {
            await engine.Client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
            throw;
        }

        return new ToolContainer(engine, created.ID, kafkaHome);
    }
}
