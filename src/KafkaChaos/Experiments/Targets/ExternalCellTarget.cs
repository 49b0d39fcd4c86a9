using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Experiments.Targets;

/// <summary>A cluster reached only by its bootstrap servers (<c>--bootstrap</c>): nothing to start, fault or leave.</summary>
public sealed class ExternalCellTarget(IExternalTarget external) : ICellTarget
{
    public string Description => $"the cluster at {external.BootstrapServers} (Kafka {external.Version} assumed)";

    public void Describe(IDictionary<string, string> config) => RecordTheirs(config, external.Describe());

    /// <summary>A cluster the tool did not start runs no image of the tool's: its own cluster.* keys stand in the config instead.</summary>
    internal static void RecordTheirs(IDictionary<string, string> config, IReadOnlyDictionary<string, string> described)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Remove("cluster.image");
        foreach (var (key, value) in described)
        {
            config[key] = value;
        }
    }

    public Task<(IKafkaTarget Target, ClusterAccess? Access)> ProvisionAsync(CancellationToken cancellationToken) =>
        Task.FromResult<(IKafkaTarget, ClusterAccess?)>((external, null));

    public Task LeaveAsync(RunStatus status, string cellDirectory) => Task.CompletedTask;
}
