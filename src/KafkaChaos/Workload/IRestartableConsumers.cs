namespace KafkaChaos.Workload;

/// <summary>
/// The run's consumers as restart-consumer acts on them: one instance killed at a point of its cycle and a new
/// one started in its group. The librdkafka group (<see cref="ConsumerGroup"/>) is one; a client driven as a
/// process of its own (Kafka's verifiable consumer) kills and restarts that process instead.
/// </summary>
public interface IRestartableConsumers
{
    /// <summary>Kills a live instance at <paramref name="point"/> and starts a new one; null when none reached the point within <paramref name="timeout"/>.</summary>
    /// <returns>What the crash cut short, as the fault's evidence.</returns>
    Task<string?> RestartAsync(CrashPoint point, TimeSpan timeout, CancellationToken cancellationToken);
}
