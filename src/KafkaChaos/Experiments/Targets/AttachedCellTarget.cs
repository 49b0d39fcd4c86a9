using System.Globalization;
using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Experiments.Targets;

/// <summary>
/// A containerised cluster the tool found but did not start (<c>--attach</c>): every fault reaches it, and
/// it is left as it was found, its faults undone and its logs copied when the cell did not complete.
/// </summary>
public sealed class AttachedCellTarget(AttachedCluster attached, TimeProvider time, Action<string> log) : ICellTarget
{
    public string Description => $"the attached cluster {attached.Target} (Kafka {attached.Version})";

    public void Describe(IDictionary<string, string> config)
    {
        ExternalCellTarget.RecordTheirs(config, attached.Describe());
        config["cluster.brokers"] = attached.Access.Brokers.Brokers.Count.ToString(CultureInfo.InvariantCulture);
    }

    public Task<(IKafkaTarget Target, ClusterAccess? Access)> ProvisionAsync(CancellationToken cancellationToken) =>
        Task.FromResult<(IKafkaTarget, ClusterAccess?)>((attached, attached.Access));

    public async Task LeaveAsync(RunStatus status, string cellDirectory)
    {
        if (status != RunStatus.Completed)
        {
            await CellTeardown.CopyLogsQuietlyAsync(attached.CopyLogsAsync, cellDirectory, time);
            await CellTeardown.UndoFaultsQuietlyAsync(attached.Access, attached.Target, time, log);
        }
    }
}
