namespace KafkaChaos.Cluster;

/// <summary>What every caller of <see cref="IBrokerControl"/> asks in the same words.</summary>
public static class BrokerControlExtensions
{
    /// <summary>The broker with Kafka id <paramref name="id"/>.</summary>
    public static BrokerNode Broker(this IBrokerControl control, int id)
    {
        ArgumentNullException.ThrowIfNull(control);
        return control.Brokers.FirstOrDefault(b => b.Id == id)
            ?? throw new ArgumentOutOfRangeException(nameof(id), id, $"no broker {id}; brokers are {string.Join(", ", control.Brokers.Select(b => b.Id))}");
    }

    /// <summary>The broker or controller of their own with node id <paramref name="id"/>, or null.</summary>
    public static BrokerNode? Node(this IBrokerControl control, int id)
    {
        ArgumentNullException.ThrowIfNull(control);
        return control.Brokers.Concat(control.Controllers).FirstOrDefault(b => b.Id == id);
    }

    /// <summary>Running and not paused: neither stopped nor frozen by a fault.</summary>
    public static async Task<bool> IsRunningAsync(this IBrokerControl control, BrokerNode broker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(control);
        return await control.StateAsync(broker, cancellationToken) is (true, false);
    }

    /// <summary>The first broker that is running: where the distribution's tools can be run from.</summary>
    public static async Task<BrokerNode?> FirstRunningAsync(this IBrokerControl control, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(control);
        foreach (var broker in control.Brokers)
        {
            if (await control.IsRunningAsync(broker, cancellationToken))
            {
                return broker;
            }
        }

        return null;
    }
}
