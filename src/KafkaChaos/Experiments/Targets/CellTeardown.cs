using KafkaChaos.Cluster;
using KafkaChaos.Faults;

namespace KafkaChaos.Experiments.Targets;

/// <summary>
/// The steps of leaving a cluster that must not hide the run's own outcome: each is bounded in time, and a
/// failure is said in the log rather than thrown.
/// </summary>
internal static class CellTeardown
{
    /// <summary>
    /// A kept cluster is promised healed, and an attached cluster is the user's: a run cut short (Ctrl-C, a
    /// failure) skipped the final heal, so its faults are undone here, within a minute.
    /// </summary>
    public static async Task UndoFaultsQuietlyAsync(ClusterAccess cluster, string name, TimeProvider time, Action<string> log)
    {
        using var limit = time.Limit(TimeSpan.FromMinutes(1));
        try
        {
            await FaultUndo.EverythingAsync(cluster, limit.Token);
            log($"undid every fault on {name}");
        }
        catch (Exception e) when (e is Docker.DotNet.DockerApiException or InfrastructureException or IOException or OperationCanceledException or HttpRequestException)
        {
            log($"could not undo every fault on {name} ({e.Message}); brokers may still be paused, stopped or cut off");
        }
    }

    /// <summary>Removes the cluster; when the engine is gone, says so and leaves it to the next start's sweep.</summary>
    public static async Task RemoveQuietlyAsync(KafkaCluster cluster, Action<string> log)
    {
        try
        {
            await cluster.DisposeAsync();
        }
        catch (Exception e) when (DockerEngine.IsUnreachable(e))
        {
            log($"could not remove cluster {cluster.RunId}: the Docker engine does not answer ({e.GetBaseException().Message}); the next start, or 'kafka-chaos cluster down', removes it");
        }
    }

    /// <summary>The brokers' logs into the run directory: a courtesy, so a failure to copy them is swallowed.</summary>
    public static async Task CopyLogsQuietlyAsync(Func<string, CancellationToken, Task> copyLogs, string runDirectory, TimeProvider time)
    {
        try
        {
            using var timeout = time.Limit(TimeSpan.FromSeconds(30));
            await copyLogs(runDirectory, timeout.Token);
        }
        catch (Exception e) when (e is Docker.DotNet.DockerApiException or IOException or OperationCanceledException or HttpRequestException)
        {
            // The logs are a courtesy; a failure to copy them must not hide the run's own failure.
        }
    }
}
