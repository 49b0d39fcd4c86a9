using Docker.DotNet;
using Docker.DotNet.Models;

namespace KafkaChaos.Cluster;

/// <summary>
/// Removes labelled containers and networks. On every start it removes those whose owning process is
/// gone (a run killed with SIGKILL, a crashed test); <c>cluster down --all</c> removes all of them.
/// Cached images are never swept, and kept clusters only by <c>--all</c>.
/// </summary>
public sealed class ResourceSweeper(DockerEngine engine)
{
    /// <returns>How many containers and networks were removed.</returns>
    public async Task<(int Containers, int Networks)> SweepAsync(bool includeLiveOwners, CancellationToken cancellationToken)
    {
        var filter = LabelFilter();
        bool Doomed(IDictionary<string, string>? labels)
        {
            if (labels is null || (labels.TryGetValue(ResourceLabels.Run, out var run) && run == ResourceLabels.CachedImageRun))
            {
                return false;
            }

            var owner = labels.TryGetValue(ResourceLabels.Owner, out var value) ? value : null;
            return includeLiveOwners || (owner != ResourceLabels.KeptOwner && !ResourceLabels.OwnerIsAlive(owner));
        }

        var containers = 0;
        var listed = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }, cancellationToken);
        foreach (var container in listed.Where(c => Doomed(c.Labels)))
        {
            if (await RemoveContainerAsync(container.ID, cancellationToken))
            {
                containers++;
            }
        }

        var networks = 0;
        var listedNetworks = await engine.Client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }, cancellationToken);
        foreach (var network in listedNetworks.Where(n => Doomed(n.Labels)))
        {
            try
            {
                await engine.Client.Networks.DeleteNetworkAsync(network.ID, cancellationToken);
                networks++;
            }
            catch (DockerNetworkNotFoundException)
            {
                // Already gone.
            }
        }

        return (containers, networks);
    }

    /// <summary>Removes every container and network of one run or cluster, whatever its owner.</summary>
    public async Task<(int Containers, int Networks)> RemoveRunAsync(string runId, CancellationToken cancellationToken)
    {
        if (runId == ResourceLabels.CachedImageRun)
        {
            throw new ClusterConfigException($"'{runId}' names the cached images, not a cluster");
        }

        var filter = LabelFilter(runId);
        var containers = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }, cancellationToken);
        foreach (var container in containers)
        {
            await RemoveContainerAsync(container.ID, cancellationToken);
        }

        var networks = await engine.Client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }, cancellationToken);
        foreach (var network in networks)
        {
            await engine.Client.Networks.DeleteNetworkAsync(network.ID, cancellationToken);
        }

        return (containers.Count, networks.Count);
    }

    /// <summary>
    /// Removes one container; one that someone else removed meanwhile, or is removing now (its owner
    /// tearing its cluster down as the sweep runs), counts as gone.
    /// </summary>
    /// <returns>True when this call removed it.</returns>
    private async Task<bool> RemoveContainerAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await engine.Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
            return true;
        }
        catch (DockerContainerNotFoundException)
        {
            return false;
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict && e.ResponseBody.Contains("already in progress", StringComparison.Ordinal))
        {
            return false;
        }
    }

    private static Dictionary<string, IDictionary<string, bool>> LabelFilter(string? runId = null) => new()
    {
        ["label"] = new Dictionary<string, bool> { [runId is null ? ResourceLabels.Run : $"{ResourceLabels.Run}={runId}"] = true },
    };

    /// <summary>
    /// Labelled containers and networks that exist right now. Containers that a user started from a broker image
    /// this tool built (a compose file's) inherit the image's labels, run=cache among them: they are not the tool's,
    /// and neither counted here nor ever swept.
    /// </summary>
    public async Task<(int Containers, int Networks)> CountAsync(CancellationToken cancellationToken)
    {
        var filter = LabelFilter();
        var containers = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }, cancellationToken);
        var networks = await engine.Client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }, cancellationToken);
        return (containers.Count(c => c.Labels?.TryGetValue(ResourceLabels.Run, out var run) != true || run != ResourceLabels.CachedImageRun), networks.Count);
    }
}
