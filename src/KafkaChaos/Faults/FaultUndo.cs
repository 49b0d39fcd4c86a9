using KafkaChaos.Cluster;

namespace KafkaChaos.Faults;

/// <summary>
/// Undoes whatever broker faults may have left on a cluster, without knowing which ran: thaws paused
/// brokers, starts stopped ones and clears every network rule and qdisc the tool adds. Needing no
/// memory of what was applied is what lets it serve a run cut short by Ctrl-C or a failure too.
/// </summary>
public static class FaultUndo
{
    public static async Task EverythingAsync(ClusterAccess cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var brokers = cluster.Brokers;
        foreach (var broker in brokers.Brokers)
        {
            var (running, paused) = await brokers.StateAsync(broker, cancellationToken);
            if (paused)
            {
                await brokers.UnpauseAsync(broker, cancellationToken);
            }
            else if (!running)
            {
                await brokers.StartAsync(broker, cancellationToken);
            }

            await NetworkRules.ClearAsync(cluster.Network, broker, cancellationToken);
        }
    }
}
