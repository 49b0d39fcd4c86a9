namespace KafkaChaos.Cluster;

/// <summary>
/// What faults do to broker processes: kill, stop, start, pause, look at their state and logs, run a program
/// beside them. A cluster this tool started and one it attached to are both containers on the local engine
/// (<see cref="ContainerBrokerControl"/>); the nemesis's own tests drive a fake without Docker.
/// </summary>
public interface IBrokerControl
{
    /// <summary>Every broker, by Kafka broker id.</summary>
    IReadOnlyList<BrokerNode> Brokers { get; }

    /// <summary>A KRaft cluster's controllers of their own (node ids from 101), which serve no client; empty elsewhere.</summary>
    IReadOnlyList<BrokerNode> Controllers => [];

    /// <summary>Sends the broker's process a signal (KILL for a crash).</summary>
    /// <remarks>
    /// Checks for cancellation before it starts, never while the engine carries it out: a cancelled request
    /// still takes effect in the engine, possibly after the final heal had looked, and would leave a broker
    /// down that the heal believes up. Stop and pause do the same.
    /// </remarks>
    Task KillAsync(BrokerNode broker, string signal, CancellationToken cancellationToken);

    /// <summary>Graceful stop: SIGTERM (a controlled shutdown), then SIGKILL after <paramref name="grace"/>.</summary>
    Task StopAsync(BrokerNode broker, TimeSpan grace, CancellationToken cancellationToken);

    Task StartAsync(BrokerNode broker, CancellationToken cancellationToken);

    /// <summary>Freezes every process of the broker: a hung JVM or an endless GC pause.</summary>
    /// <returns>Null once it is frozen; otherwise why it could not be.</returns>
    Task<string?> PauseAsync(BrokerNode broker, CancellationToken cancellationToken);

    Task UnpauseAsync(BrokerNode broker, CancellationToken cancellationToken);

    /// <summary>Whether the broker's process is running, and whether it is frozen.</summary>
    Task<(bool Running, bool Paused)> StateAsync(BrokerNode broker, CancellationToken cancellationToken);

    /// <summary>The last lines the broker wrote to its stdout and stderr.</summary>
    Task<IReadOnlyList<string>> LogTailAsync(BrokerNode broker, int lines, CancellationToken cancellationToken);

    /// <summary>Runs a program, argument by argument (no shell), in the broker's container.</summary>
    Task<(long ExitCode, string Output)> ExecAsync(BrokerNode broker, IList<string> command, CancellationToken cancellationToken);
}
