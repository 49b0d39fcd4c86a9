namespace KafkaChaos.Workload;

/// <summary>
/// One producer lane as restart-producer acts on it: its running identity killed mid-stream and a new identity
/// started on the same schedule. <see cref="ProducerLane"/> is the librdkafka one; a client driven as a process
/// of its own (Kafka's verifiable producer) kills and restarts that process instead.
/// </summary>
public interface IRestartableProducer
{
    /// <summary>Whether the next identity first sends again what the killed one never learned the fate of.</summary>
    bool ResendUnknownOnRestart { get; }

    /// <summary>Kills the current identity; completes when the next one has started.</summary>
    /// <returns>Which identity stopped after how many sends, and which took over, as the fault's evidence.</returns>
    Task<string> RestartAsync(CancellationToken cancellationToken);
}
