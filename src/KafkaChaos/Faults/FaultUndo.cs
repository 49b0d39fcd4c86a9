using KafkaChaos.Cluster;

namespace KafkaChaos.Faults;

/// <summary>
/// Undoes whatever broker faults may have left on a cluster, without knowing which ran: thaws paused
/// brokers, starts stopped ones and clears every network rule and qdisc the tool adds. Needing no
/// memory of what was applied is what lets it serve a run cut short by Ctrl-C or a failure too.
/// </summary>
public static class FaultUndo
{
    public static async Task EverythingAsync(KafkaCluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        foreach (var broker in cluster.Brokers)
        {
            var (running, paused) = await cluster.ContainerStateAsync(broker, cancellationToken);
            if (paused)
            {
                await cluster.UnpauseAsync(broker, cancellationToken);
            }
            else if (!running)
            {
                await cluster.StartAsync(broker, cancellationToken);
            }

            await NetworkRules.ClearAsync(cluster, broker, cancellationToken);
        }
    }
}
