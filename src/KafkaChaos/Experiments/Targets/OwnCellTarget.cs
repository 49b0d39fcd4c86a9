using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Experiments.Targets;

/// <summary>
/// A cluster the cell starts itself, from its own cluster spec, and removes afterwards, or keeps, healed,
/// when the user asked to inspect it (<c>--keep-cluster</c>).
/// </summary>
public sealed class OwnCellTarget(DockerEngine? engine, ClusterSpec spec, string clusterId, string cellDirectory, bool keep, TimeProvider time, Action<string> log) : ICellTarget
{
    private KafkaCluster? _cluster;

    /// <summary>The cluster left running for the user, once <see cref="LeaveAsync"/> has kept it.</summary>
    public KafkaCluster? Kept { get; private set; }

    public string Description => $"Kafka {spec.Version} from {spec.Image}, {spec.Brokers} brokers";

    /// <summary>The mode and controllers as resolved for the version: what the config records is what starts.</summary>
    public void Describe(IDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config[Settings.ClusterSettings.Mode.Key] = Settings.ClusterSettings.Mode.Format(spec.Mode);
        config[Settings.ClusterSettings.Controllers.Key] = spec.Mode == ClusterMode.KRaft ? Settings.ClusterSettings.Controllers.Format(spec.Controllers) : "none";
    }

    public async Task<(IKafkaTarget Target, ClusterAccess? Access)> ProvisionAsync(CancellationToken cancellationToken)
    {
        _cluster = await KafkaCluster.StartAsync(engine ?? throw new InvalidOperationException("a Docker engine is needed to start a cluster"),
            spec, clusterId, log, cancellationToken, cellDirectory, keep, time);
        return (_cluster, _cluster.Access);
    }

    public async Task LeaveAsync(RunStatus status, string cellDirectory)
    {
        if (_cluster is not { } cluster)
        {
            return;
        }

        if (status != RunStatus.Completed)
        {
            await CellTeardown.CopyLogsQuietlyAsync(cluster.CopyLogsAsync, cellDirectory, time);
        }

        if (!keep)
        {
            await CellTeardown.RemoveQuietlyAsync(cluster, log);
            return;
        }

        if (status != RunStatus.Completed)
        {
            await CellTeardown.UndoFaultsQuietlyAsync(cluster.Access, $"the kept cluster {cluster.RunId}", time, log);
        }

        cluster.Release();
        Kept = cluster;
        log($"kept cluster {cluster.RunId}: bootstrap servers {cluster.BootstrapServers}; remove it with 'kafka-chaos cluster down {cluster.RunId}'");
    }
}
