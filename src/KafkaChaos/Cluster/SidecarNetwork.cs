using Docker.DotNet;
using Docker.DotNet.Models;

namespace KafkaChaos.Cluster;

/// <summary>
/// Network rules for brokers whose image has no iptables or tc, or whose container has no NET_ADMIN: the
/// official images, a user's compose file. A sidecar container joins the broker's network namespace
/// (<c>network_mode: container:&lt;id&gt;</c>) with NET_ADMIN and nothing else, and the rules run there; they
/// belong to the namespace, so they act on the broker's traffic.
/// </summary>
/// <remarks>
/// Sidecars carry the run's labels, so a sweep removes what a crash left. One is started when a broker's
/// first rule is needed and removed once its rules are cleared, and all at <see cref="DisposeAsync"/>.
/// A broker restarted since its sidecar started has a new namespace: the sidecar is replaced first.
/// </remarks>
public sealed class SidecarNetwork(DockerEngine engine, string image, string runId, IReadOnlyList<string> coordinatorAddresses, TimeProvider time)
    : IClusterNetwork, IAsyncDisposable
{
    private readonly Dictionary<int, (string Id, string BrokerStartedAt)> _sidecars = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public IReadOnlyList<string> CoordinatorAddresses => coordinatorAddresses;

    /// <summary>Sidecars running now, for tests and the log.</summary>
    public int Running => _sidecars.Count;

    public async Task<(long ExitCode, string Output)> RunAsync(BrokerNode broker, IList<string> command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var sidecar = await SidecarAsync(broker, cancellationToken);
        try
        {
            return await engine.ExecAsync(sidecar, command, cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
        {
            // Another fault's heal released this sidecar meanwhile (overlapping faults on one broker): once more, in a new one.
            return await engine.ExecAsync(await SidecarAsync(broker, cancellationToken), command, cancellationToken);
        }
    }

    public async Task ReleaseAsync(BrokerNode broker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (_sidecars.Remove(broker.Id, out var sidecar))
            {
                await RemoveAsync(sidecar.Id);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, sidecar) in _sidecars)
        {
            await RemoveAsync(sidecar.Id);
        }

        _sidecars.Clear();
        _gate.Dispose();
    }

    private async Task<string> SidecarAsync(BrokerNode broker, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var inspected = await engine.Client.Containers.InspectContainerAsync(broker.ContainerId, cancellationToken);
            if (_sidecars.TryGetValue(broker.Id, out var existing))
            {
                if (existing.BrokerStartedAt == inspected.State.StartedAt && await IsRunningAsync(existing.Id, cancellationToken))
                {
                    return existing.Id;
                }

                _sidecars.Remove(broker.Id);
                await RemoveAsync(existing.Id); // joined the namespace of a process that has since exited
            }

            if (!inspected.State.Running)
            {
                throw new InfrastructureException($"{broker.Target} is not running, so no rule can be set in its network namespace");
            }

            var created = await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Name = $"kafka-chaos-{runId}-netns-{broker.Id}-{time.GetTimestamp() % 100000}",
                Image = image,
                Cmd = ["sleep", "infinity"],
                Labels = ResourceLabels.For(runId, "sidecar"),
                HostConfig = new HostConfig
                {
                    NetworkMode = $"container:{broker.ContainerId}",
                    CapAdd = ["NET_ADMIN"],
                    Init = true,
                },
            }, cancellationToken);
            await engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
            _sidecars[broker.Id] = (created.ID, inspected.State.StartedAt);
            return created.ID;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> IsRunningAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            return (await engine.Client.Containers.InspectContainerAsync(containerId, cancellationToken)).State.Running;
        }
        catch (DockerContainerNotFoundException)
        {
            return false;
        }
    }

    private async Task RemoveAsync(string containerId)
    {
        try
        {
            await engine.Client.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true });
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone.
        }
    }
}
